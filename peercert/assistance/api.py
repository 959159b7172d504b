from ninja import Router, Schema

from peercert.assistance import selectors

router = Router(tags=["assistance"])


class FaqOut(Schema):
    question: str
    answer: str
    category: str


@router.get("/faq", response=list[FaqOut], auth=None, summary="The public FAQ")
def faq(request):
    return list(selectors.faq_published())
