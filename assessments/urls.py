from django.urls import path

from . import views

app_name = "dtca"

urlpatterns = [
    path("dtca/", views.home, name="home"),
    path("dtca/my/<int:number>/", views.dimension_page, name="page"),
    path("dtca/my/answers/<int:statement_pk>/", views.autosave, name="autosave"),
    path("dtca/my/review/", views.review, name="review"),
    path("dtca/my/submit/", views.submit, name="submit"),
    path("dtca/country/", views.country, name="country"),
    path("dtca/country/answers/<int:statement_pk>/", views.country_autosave, name="country_autosave"),
    path("dtca/results/", views.results, name="results"),
    path("dtca/group/", views.group_for_participant, name="group"),
    path("dtca/responses/<int:pk>/", views.response_detail, name="response"),
    path("dtca/facilitate/<int:cohort_pk>/", views.facilitator_group, name="facilitator"),
    path("dtca/facilitate/<int:cohort_pk>/visibility/", views.facilitator_visibility, name="visibility"),
    path("dtca/export/<int:workshop_pk>.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("dtca/export/<int:workshop_pk>.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
]
