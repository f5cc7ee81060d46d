from django.urls import path

from . import views

app_name = "action_plans"

plan = "action-plans/<int:cohort_pk>/<str:country>/"

urlpatterns = [
    path("action-plan/", views.my_plan, name="mine"),
    path(plan, views.plan, name="plan"),
    path(f"{plan}actions/new/", views.action_add, name="action_add"),
    path(f"{plan}actions/<int:pk>/", views.action_edit, name="action_edit"),
    path(f"{plan}actions/<int:pk>/progress/", views.action_progress, name="action_progress"),
    path(f"{plan}actions/<int:pk>/delete/", views.action_delete, name="action_delete"),
    path(f"{plan}plan.pdf", views.plan_pdf, name="plan_pdf"),
    path(f"{plan}plan.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("preparation/tasks/<int:pk>/sdg/", views.sdg_choice, name="sdg_choice"),
    path("preparation/tasks/<int:pk>/priorities/", views.priorities, name="priorities"),
    path("facilitate/groups/<int:cohort_pk>/sdgs/", views.group_sdgs, name="group_sdgs"),
    path("facilitate/groups/<int:cohort_pk>/priorities/", views.group_priorities, name="group_priorities"),
    path("facilitate/groups/<int:cohort_pk>/action-plans/", views.group_plans, name="group_plans"),
    path("facilitate/groups/<int:cohort_pk>/action-plans.xlsx", views.group_plans_xlsx, name="group_plans_xlsx"),
    path("facilitate/workshops/<int:workshop_pk>/follow-up/", views.followup_board, name="followup_board"),
    path(
        "facilitate/workshops/<int:workshop_pk>/action-plans.xlsx",
        views.workshop_plans_xlsx,
        name="workshop_plans_xlsx",
    ),
]
