from peercert.integrity.views import overpayments, reviews, utilization

app_name = "integrity"

urlpatterns = [*utilization.urlpatterns, *overpayments.urlpatterns, *reviews.urlpatterns]
