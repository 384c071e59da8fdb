from applications.views import applying, assessing, organisations

app_name = "applications"

urlpatterns = [*organisations.urlpatterns, *applying.urlpatterns, *assessing.urlpatterns]
