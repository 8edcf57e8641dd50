app_name = "koulutus"

urlpatterns: list = []
