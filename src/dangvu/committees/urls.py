app_name = "committees"
urlpatterns: list = []
