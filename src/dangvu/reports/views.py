"""Pages of the reports module: choose and generate a report, the list of generated files with
their progress (htmx polling while a job runs), download again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dangvu.core.audit import client_ip
from dangvu.core.scope import VIEW, scope_q
from dangvu.core.viewmixins import paginate, scoped_object, scoped_queryset
from dangvu.organizations.models import Organization

from . import services
from .choices import MIME, ReportStatus
from .filtersets import ReportFilterSet
from .forms import ReportForm
from .models import GeneratedReport


def _require_reports(request) -> None:
    if scope_q(GeneratedReport, request.user, VIEW) is None:
        raise PermissionDenied


def _offered_orgs(request, selected=None):
    from dangvu.members.views import top_levels

    orgs = scoped_queryset(request, Organization, VIEW, module="members").active()
    return top_levels(orgs, selected).order_by("path")


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    _require_reports(request)
    selected = request.POST.get("organization") if request.method == "POST" else None
    orgs = _offered_orgs(request, selected)
    if request.method == "POST":
        form = ReportForm(request.POST, organizations=orgs)
        if form.is_valid():
            d = form.cleaned_data
            try:
                report = services.report_request(
                    actor=request.user,
                    organization=d["organization"],
                    kind=d["kind"],
                    format=d["format"],
                    year=d.get("year"),
                    half=d.get("half"),
                    as_of=d.get("as_of"),
                    narratives=form.narratives(),
                    ip=client_ip(request),
                )
            except ValidationError as exc:
                from dangvu.core.forms import apply_service_errors

                apply_service_errors(form, exc)
                from dangvu.core.forms import bootstrapify

                bootstrapify(form)
            else:
                messages.success(
                    request,
                    _("Đã đưa vào hàng đợi: %(r)s. Tệp sẽ có trong danh sách khi tạo xong.")
                    % {"r": report},
                )
                return redirect("reports:index")
        status = 400
    else:
        initial = {}
        first = orgs.order_by("depth", "path").first()
        if first is not None:
            initial["organization"] = first.pk
        form = ReportForm(initial=initial, organizations=orgs)
        status = 200
    qs = scoped_queryset(request, GeneratedReport).select_related("organization", "created_by")
    fs = ReportFilterSet(request.GET or None, queryset=qs, request=request)
    from dangvu.core.forms import bootstrapify

    bootstrapify(fs.form)
    page = paginate(request, fs.qs, per_page=20)
    return render(
        request,
        "reports/index.html",
        {"form": form, "filter": fs, "page": page},
        status=status,
    )


@login_required
@require_GET
def row(request, pk):
    """One row of the list (htmx polls it while the job runs)."""
    report = scoped_object(
        request, GeneratedReport, queryset=GeneratedReport.objects.select_related(
            "organization", "created_by"
        ), pk=pk
    )  # fmt: skip
    return render(request, "reports/includes/row.html", {"r": report})


@login_required
@require_GET
def download(request, pk):
    report = scoped_object(request, GeneratedReport, pk=pk)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    try:
        fh = report.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        fh,
        as_attachment=True,
        filename=report.file_name or report.file.name.rsplit("/", 1)[-1],
        content_type=MIME.get(report.format, "application/octet-stream"),
    )


@login_required
@require_GET
def dashboard(request):
    """The home page's figures panel (loaded by htmx once the home page is shown)."""
    from django.http import HttpResponse
    from django.utils import timezone

    from .home import dashboard_html

    _require_reports(request)
    return HttpResponse(dashboard_html(request.user, timezone.localdate()))
