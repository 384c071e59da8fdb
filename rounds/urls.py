from rounds.views import directory, form_builder, funding, gaps, needs, oruk, public

app_name = "rounds"

urlpatterns = [
    *needs.urlpatterns,
    *directory.urlpatterns,
    *gaps.urlpatterns,
    *oruk.urlpatterns,
    *funding.urlpatterns,
    *form_builder.urlpatterns,
    *public.urlpatterns,
]
