from django.urls import path

from . import views

urlpatterns = [
    path("dtca/", views.home, name="dtca_home"),
    path("dtca/my/<int:number>/", views.dimension_page, name="dtca_page"),
    path("dtca/my/answers/<int:statement_id>/", views.autosave, name="dtca_autosave"),
    path("dtca/my/review/", views.review, name="dtca_review"),
    path("dtca/my/submit/", views.submit, name="dtca_submit"),
    path("dtca/country/", views.country, name="dtca_country"),
    path("dtca/country/answers/<int:statement_id>/", views.country_autosave, name="dtca_country_autosave"),
    path("dtca/results/", views.results, name="dtca_results"),
    path("dtca/group/", views.group_for_participant, name="dtca_group"),
    path("dtca/responses/<int:pk>/", views.response_detail, name="dtca_response"),
    path("dtca/facilitate/<int:cohort_id>/", views.facilitator_group, name="dtca_facilitator"),
    path("dtca/facilitate/<int:cohort_id>/visibility/", views.facilitator_visibility, name="dtca_visibility"),
    path("dtca/export/<int:workshop_id>.csv", views.export, {"fmt": "csv"}, name="dtca_export_csv"),
    path("dtca/export/<int:workshop_id>.xlsx", views.export, {"fmt": "xlsx"}, name="dtca_export_xlsx"),
]
