from rounds.views import directory, gaps, needs, oruk

app_name = "rounds"

urlpatterns = [*needs.urlpatterns, *directory.urlpatterns, *gaps.urlpatterns, *oruk.urlpatterns]
