from peercert.billing.views import claims, eligibility, gate

app_name = "billing"

urlpatterns = [*eligibility.urlpatterns, *gate.urlpatterns, *claims.urlpatterns]
