from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "apps.evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations")
    # Links this room adds to the contributors' portal and to the back office's sidebar
    # (read by apps.core.navigation): portal_nav = ((title, url name), ...);
    # admin_nav = {"title": ..., "items": ((title, icon, "app_label.model"), ...)}.
    portal_nav: tuple = (
        (_("Performance sharing"), "evaluations:records"),
        (_("Evaluation grades"), "evaluations:grades"),
    )
    admin_nav: dict | None = {
        "title": _("Evaluations"),
        "items": (
            (_("Performance-sharing records"), "handshake", "evaluations.sharingrecord"),
            (_("Shared Growth Index inputs"), "edit_note", "evaluations.sgiinput"),
            (_("Defence evaluation inputs"), "shield", "evaluations.defenceinput"),
            (_("Evaluation results"), "military_tech", "evaluations.evaluationresult"),
            (_("Evaluation years (publication)"), "publish", "evaluations.evaluationyear"),
            (_("Recomputation runs"), "sync", "evaluations.evaluationrun"),
            (_("Index rules"), "rule", "evaluations.indexrule"),
            (_("Sharing method weights"), "balance", "evaluations.sharingmethodweight"),
            (_("Contribution point bands"), "stairs", "evaluations.contributionpointband"),
        ),
    }
