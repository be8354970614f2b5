from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Rule


@login_required
def home(request):
    return render(request, "core/home.html", {})


@login_required
def rulebook(request):
    rules = Rule.objects.restrict(request.user, "view")
    return render(request, "core/rulebook.html", {"rules": rules})
