"""The floor of recording a value (hemma/bench/load.py): a bare Django view that does one
insert. Mounted at /bench/floor/ only when the setting HEMMA_BENCH_FLOOR is true (the
benchmark's own server), never otherwise: it writes for anyone who posts."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hemma.audit.models import AuditEvent


@csrf_exempt
@require_POST
def floor(request: HttpRequest) -> HttpResponse:
    event = AuditEvent.objects.create(
        verb=AuditEvent.Verb.CREATE,
        target_type="bench.floor",
        target_id="1",
        changes={"body": [None, request.body[:200].decode(errors="replace")]},
    )
    return HttpResponse(str(event.pk), content_type="text/plain")
