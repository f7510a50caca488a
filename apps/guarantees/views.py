"""The pool's pages in the portal. A contributor's members see its programs, earmarks, transfers and the guarantees
its partner SMEs received; an SME's members the guarantees it received; fund administrators and auditors all of
it. Every read goes through the scoped selectors, so another company's record answers 404 whatever id is typed;
the earmark form calls `services.earmark_create`, which checks again who may act."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from apps.core.exceptions import DomainError

from . import selectors, services
from .forms import EarmarkForm, earmark_programs

RECENT = 50


@login_required
def overview(request):
    user = request.user
    context = {
        "programs": [(p, selectors.program_capacity(p))
                     for p in selectors.with_figures(selectors.programs_visible_to(user))[:RECENT]],
        "earmarks": selectors.earmarks_visible_to(user)[:RECENT],
        "transfers": selectors.transfers_visible_to(user)[:RECENT],
        "guarantees": selectors.guarantees_visible_to(user)[:RECENT],
        "utilisation": selectors.pool_utilisation(user),
        "may_earmark": earmark_programs(user).exists(),
    }
    return render(request, "guarantees/overview.html", context)


@login_required
def utilisation(request):
    return render(request, "guarantees/utilisation.html",
                  {"utilisation": selectors.pool_utilisation(request.user)})


@login_required
def program_detail(request, pk: int):
    program = get_object_or_404(selectors.programs_visible_to(request.user), pk=pk)
    return render(request, "guarantees/program_detail.html", {
        "program": program, "capacity": selectors.program_capacity(program),
        "rules": program.leverage_rules.order_by("valid_from"),
        "earmarks": selectors.earmarks_visible_to(request.user).filter(program=program),
        "transfers": selectors.transfers_visible_to(request.user).filter(program=program),
        "guarantees": selectors.guarantees_visible_to(request.user).filter(program=program),
    })


@login_required
def guarantee_detail(request, pk: int):
    guarantee = get_object_or_404(selectors.guarantees_visible_to(request.user), pk=pk)
    return render(request, "guarantees/guarantee_detail.html",
                  {"guarantee": guarantee, "events": guarantee.events.all()})


@login_required
def earmark_new(request):
    user = request.user
    if not earmark_programs(user).exists():
        raise Http404("no program this user may earmark for")
    form = EarmarkForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.earmark_create(actor=user, contribution=data["contribution"], program=data["program"],
                                    note=data["note"], idempotency_key=f"portal:{data['idempotency_key']}")
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The contribution is earmarked for the guarantee program."))
            return redirect("guarantees:overview")
    return render(request, "guarantees/earmark_form.html", {"form": form})
