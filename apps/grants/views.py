"""The portal pages of the grants: a lead company's finance officer proposes a project and follows its projects;
an SME's members see the awards they received, with the tranches paid and what remains.

Every read goes through the scoped selectors, so another company's project or award answers 404 whatever id is
typed; every write goes through `apps.grants.services`, which checks again who may act.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import GrantError, IdempotencyConflict
from .forms import ProjectForm
from .models import CountryScope
from .selectors import (
    awards_visible_to,
    cap_rule_on,
    projects_visible_to,
    proposable_leads,
    share_rule_on,
    sme_room,
)
from .services import project_propose

FORM_FIELDS = frozenset(ProjectForm.base_fields)


@login_required
def project_list(request):
    user, today = request.user, timezone.localdate()
    return render(request, "grants/project_list.html", {
        "projects": projects_visible_to(user).prefetch_related("participants").order_by("-created_at", "-pk"),
        "awards": awards_visible_to(user).order_by("-award_date", "-pk"),
        "may_propose": proposable_leads(user).exists(),
        "us_rule": cap_rule_on(CountryScope.UNITED_STATES, today),
        "other_rule": cap_rule_on(CountryScope.OTHER, today),
        "share_rule": share_rule_on(today),
    })


@login_required
def project_new(request):
    """One form; its hidden idempotency key is made when the form is first shown, so a double click or a retried
    request proposes once."""
    user = request.user
    if not proposable_leads(user).exists():
        raise Http404("no large company this user may propose for")
    if request.method != "POST":
        return render(request, "grants/project_form.html", {"form": ProjectForm(user=user)})
    form = ProjectForm(request.POST, user=user)
    if not form.is_valid():
        return render(request, "grants/project_form.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        project = project_propose(
            actor=user, lead=data["lead"], title=data["title"], country=data["country"],
            total_cost=data["total_cost"], start_date=data["start_date"], end_date=data["end_date"],
            participants=list(data["participants"]), idempotency_key=f"portal:{data['idempotency_key']}",
        )
    except IdempotencyConflict:
        fresh = request.POST.copy()
        fresh["idempotency_key"] = str(uuid.uuid4())  # a new key, so the next submission is a new project
        form = ProjectForm(fresh, user=user)
        form.is_valid()
        form.add_error(None, _("This form was already submitted with different details. Check your projects; to "
                               "propose another one, submit again."))
        return render(request, "grants/project_form.html", {"form": form}, status=409)
    except GrantError as error:
        form.add_error(error.field if error.field in FORM_FIELDS else None, error.message)
        return render(request, "grants/project_form.html", {"form": form}, status=error.status)
    if not project.is_replay:
        messages.success(request, _("Project #%(id)s was proposed. The fund will review it.") % {"id": project.pk})
    return redirect("grants:project", pk=project.pk)


@login_required
def project_detail(request, pk: int):
    project = get_object_or_404(projects_visible_to(request.user), pk=pk)
    awards = awards_visible_to(request.user).filter(project=project).order_by("award_date", "pk")
    return render(request, "grants/project_detail.html", {
        "project": project,
        "participants": project.participants.order_by("name_ko"),
        "awards": awards,
        "events": project.events.filter(award__isnull=True).order_by("at", "pk"),
    })


@login_required
def award_detail(request, pk: int):
    award = get_object_or_404(awards_visible_to(request.user), pk=pk)
    return render(request, "grants/award_detail.html", {
        "award": award,
        "tranches": award.tranches.order_by("paid_date", "pk"),
        "events": award.events.order_by("at", "pk"),
        "room": sme_room(award.sme, award.project.country, award.award_date),
    })
