from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Organization


@login_required
def tree(request):
    orgs = Organization.objects.restrict(request.user, "view")[:200]
    return render(request, "organizations/tree.html", {"organizations": orgs})
