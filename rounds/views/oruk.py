"""oruk pages; urlpatterns are joined in rounds/urls.py."""

urlpatterns: list = []
