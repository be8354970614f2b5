from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Member


@login_required
def member_list(request):
    members = Member.objects.restrict(request.user, "view").select_related("organization")[:50]
    return render(request, "members/list.html", {"members": members})
