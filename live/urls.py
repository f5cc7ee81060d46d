from django.urls import path

from .views import boards, breakout, debates, key_messages, polls, runsheet

app_name = "live"

urlpatterns = [
    # Facilitator: one occurrence ("session" in the addresses, as on the rest of the portal)
    path("live/sessions/<int:pk>/", runsheet.runsheet, name="runsheet"),
    path("live/sessions/<int:pk>/run-sheet-panel/", runsheet.runsheet_panel, name="runsheet_panel"),
    path("live/sessions/<int:pk>/key-messages/", key_messages.key_messages, name="key_messages"),
    path("live/sessions/<int:pk>/items/<int:item_pk>/breakout/", breakout.breakout, name="breakout"),
    path("live/sessions/<int:pk>/items/<int:item_pk>/board/", boards.board_start, name="board_start"),
    path("live/sessions/<int:pk>/items/<int:item_pk>/debate/", debates.debate_start, name="debate_start"),
    path("live/sessions/<int:pk>/polls/", polls.polls, name="polls"),
    path("live/sessions/<int:pk>/polls/live/", polls.polls_live, name="polls_live"),
    path("live/sessions/<int:pk>/polls/<int:poll_pk>/open/", polls.poll_open, name="poll_open"),
    # Breakout draws
    path("live/draws/<int:pk>/publish/", breakout.publish_draw, name="draw_publish"),
    path("live/draws/<int:pk>/discard/", breakout.discard_draw, name="draw_discard"),
    path("live/draws/<int:pk>/webex.csv", breakout.draw_csv, name="draw_csv"),
    # Polls
    path("live/polls/<int:pk>/edit/", polls.poll_edit, name="poll_edit"),
    path("live/polls/<int:pk>/delete/", polls.poll_delete, name="poll_delete"),
    path("live/polls/<int:pk>/compare/", polls.poll_compare, name="poll_compare"),
    path("live/poll-runs/<int:pk>/", polls.poll_vote, name="poll_vote"),
    path("live/poll-runs/<int:pk>/results/", polls.poll_results, name="poll_results"),
    path("live/poll-runs/<int:pk>/close/", polls.poll_close, name="poll_close"),
    path("live/poll-runs/<int:pk>/share/", polls.poll_share, name="poll_share"),
    # Brainstorming boards
    path("live/boards/<int:pk>/", boards.board, name="board"),
    path("live/boards/<int:pk>/ideas/", boards.board_ideas, name="board_ideas"),
    path("live/boards/<int:pk>/headings/", boards.heading_add, name="heading_add"),
    path("live/boards/<int:pk>/open/", boards.board_toggle, name="board_toggle"),
    path("live/boards/<int:pk>/export.csv", boards.board_export, name="board_export"),
    path("live/headings/<int:pk>/delete/", boards.heading_delete, name="heading_delete"),
    path("live/ideas/<int:pk>/vote/", boards.idea_vote, name="idea_vote"),
    path("live/ideas/<int:pk>/remove/", boards.idea_remove, name="idea_remove"),
    path("live/ideas/<int:pk>/file/", boards.idea_file, name="idea_file"),
    # Debates
    path("live/debates/<int:pk>/", debates.debate, name="debate"),
    path("live/debates/<int:pk>/draw/", debates.debate_draw, name="debate_draw"),
    path("live/debates/<int:pk>/sides/", debates.debate_sides, name="debate_sides"),
    path("live/debates/<int:pk>/statements/", debates.debate_statements, name="debate_statements"),
    # The participant's session page
    path("live/sessions/<int:pk>/my-panel/", runsheet.session_panel, name="session_panel"),
]
