"""A page about a session or run with its thread, shared by the three pages that have one."""

from django.shortcuts import render

from athletes.presenters.conversation import thread_context
from athletes.services.conversation import thread_mark_read


def render_with_thread(request, template, context, subject, *, comment_form=None, status=200):
    """`template` with the thread about `subject`, which the viewer has then read: once it is
    shown to read (not again with a refused post's errors), and only when something in it is
    new, so a page read again changes nothing (web/kept_pages.py keeps it)."""
    context.update(thread_context(request.user, subject, comment_form=comment_form))
    response = render(request, template, context, status=status)
    if request.method == "GET" and context["thread_unread"]:
        thread_mark_read(request.user, context["thread"])
    return response
