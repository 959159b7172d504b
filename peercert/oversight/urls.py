from peercert.oversight.views import dashboards, plan, reports

app_name = "oversight"

urlpatterns = [*plan.urlpatterns, *reports.urlpatterns, *dashboards.urlpatterns]
