app_name = "alueet"

urlpatterns: list = []
