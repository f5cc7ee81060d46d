from django.urls import path

from . import account_views, views

app_name = "participants"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    # The private calendar subscription: the participant's token stands in for a sign-in.
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("profile/calendar/new-address/", account_views.new_calendar_address, name="new_calendar_address"),
    path("privacy/", views.privacy, name="privacy"),
    path("invitation/new-link/", views.request_new_link, name="request_new_link"),
    path("invitation/new-link/sent/", views.request_new_link_done, name="request_new_link_done"),
]
