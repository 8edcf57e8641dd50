app_name = "palaute"

urlpatterns: list = []
