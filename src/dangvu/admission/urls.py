app_name = "admission"
urlpatterns: list = []
