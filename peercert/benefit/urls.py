from peercert.benefit.views import alerts, rates, workforce

app_name = "benefit"

urlpatterns = [*workforce.urlpatterns, *rates.urlpatterns, *alerts.urlpatterns]
