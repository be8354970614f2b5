"""Pages of member import (upload → job page with progress and preview → commit) and exports.

Every queryset goes through `restrict()`: jobs and members outside the user's scope answer 404,
writes the user may not do answer 403, and exports contain only rows in scope.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.core.audit import client_ip
from dangvu.core.scope import ADD, VIEW, can
from dangvu.core.viewmixins import require_module_action, scoped_object
from dangvu.members.filtersets import MemberFilterSet
from dangvu.members.models import Member
from dangvu.organizations.filtersets import OrganizationFilterSet
from dangvu.organizations.models import Organization

from . import export
from .forms import ImportUploadForm
from .jobs import create_import_job, request_commit
from .models import ImportJob
from .services import importable_organizations


def _require_import(request) -> None:
    if not importable_organizations(request.user).exists():
        raise PermissionDenied


@login_required
def import_start(request):
    _require_import(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = create_import_job(
                actor=request.user,
                file=form.cleaned_data["file"],
                organization=form.cleaned_data["organization"],
                ip=client_ip(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("dataio:job", pk=job.pk)
    jobs = (
        ImportJob.objects.restrict(request.user, VIEW)
        .select_related("organization", "created_by")
        .order_by("-created_at", "-id")[:20]
    )
    return render(request, "dataio/import.html", {"form": form, "jobs": jobs})


def _job_context(request, job):
    processed, total = job.progress()
    return {
        "job": job,
        "processed": processed,
        "total": total,
        "percent": job.percent(),
        "may_commit": job.can_commit and can(request.user, ADD, job),
        "waiting_long": job.status == ImportJob.Status.UPLOADED
        and (timezone.now() - job.created_at).total_seconds() > 10,
    }


@login_required
def job_detail(request, pk):
    job = scoped_object(
        request,
        ImportJob,
        VIEW,
        queryset=ImportJob.objects.select_related("organization", "created_by", "committed_by"),
        pk=pk,
    )
    return render(request, "dataio/job.html", _job_context(request, job))


@login_required
def job_progress(request, pk):
    job = scoped_object(request, ImportJob, VIEW, pk=pk)
    response = render(request, "dataio/includes/job_progress.html", _job_context(request, job))
    if not job.is_running and request.GET.get("running"):
        # The job ended while the page was polling: reload it to show the result.
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def job_commit(request, pk):
    job = scoped_object(request, ImportJob, ADD, pk=pk)
    try:
        request_commit(job=job, actor=request.user, ip=client_ip(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("dataio:job", pk=job.pk)


@login_required
def import_template(request):
    _require_import(request)
    response = HttpResponse(export.template_workbook().getvalue(), content_type=export.XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-dang-vien.xlsx"'
    return response


def _export_response(request, stem: str, make_xlsx, make_csv, qs):
    fmt = (request.GET.get("format") or "xlsx").lower()
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        response = StreamingHttpResponse(make_csv(qs), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.csv"'
        return response
    if fmt != "xlsx":
        return HttpResponse(
            _("Định dạng không hỗ trợ: chọn xlsx hoặc csv."), status=400, content_type="text/plain"
        )
    return FileResponse(
        make_xlsx(qs),
        as_attachment=True,
        filename=f"{stem}-{stamp}.xlsx",
        content_type=export.XLSX_TYPE,
    )


def _bad_filter(filterset) -> HttpResponse:
    lines = [_("Bộ lọc không hợp lệ:")]
    for field, errors in filterset.errors.items():
        label = filterset.filters[field].label if field in filterset.filters else field
        lines.extend(f"- {label}: {e}" for e in errors)
    return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")


@login_required
def export_members(request):
    require_module_action(request, Member, VIEW)
    qs = Member.objects.restrict(request.user, VIEW)
    filterset = MemberFilterSet(request.GET, queryset=qs, request=request)
    if not filterset.is_valid():
        return _bad_filter(filterset)
    return _export_response(
        request, "danh-sach-dang-vien", export.members_xlsx, export.members_csv, filterset.qs
    )


@login_required
def export_organizations(request):
    require_module_action(request, Organization, VIEW)
    qs = Organization.objects.restrict(request.user, VIEW)
    filterset = OrganizationFilterSet(request.GET, queryset=qs, request=request)
    if not filterset.is_valid():
        return _bad_filter(filterset)
    return _export_response(
        request,
        "danh-sach-to-chuc-dang",
        export.organizations_xlsx,
        export.organizations_csv,
        filterset.qs,
    )
