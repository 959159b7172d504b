"""Demo technical-assistance questions, saved answers and the FAQ. Idempotent."""

from peercert.accounts.models import User
from peercert.assistance import services
from peercert.assistance.models import AssistanceRequest, AssistanceStatus, FaqEntry, SavedAnswer

FAQ = [
    (
        "applying",
        1,
        "How do I become a certified peer support specialist?",
        "Create an account, fill in the application and pay the application fee. Then finish the 80-hour core "
        "training with an approved training entity and pass the certification exam. You have 12 months from "
        "approval to finish the training and the exam.",
    ),
    (
        "applying",
        2,
        "Do I have to share my own recovery story?",
        "You must have lived experience of recovery from mental illness or substance use, yourself or as a parent, "
        "caregiver or family member, and be willing to share it when it helps the people you serve. You decide how "
        "much to share.",
    ),
    (
        "fees",
        1,
        "How much does it cost, and can I get help paying?",
        "The application fee is $100 and the exam fee is $150. Scholarships and fee waivers can pay any fee. "
        "Ask about them before you pay.",
    ),
    (
        "exam",
        1,
        "What if I do not pass the exam?",
        "You can take the exam up to 3 times while your application approval is valid. Each try has its own fee.",
    ),
    (
        "renewal",
        1,
        "How do I keep my certification?",
        "Renew every 2 years. You need 20 hours of continuing education, with at least 6 in law and ethics, and "
        "you sign the Code of Ethics again.",
    ),
    (
        "other",
        1,
        "How do I make a complaint about a peer or a training entity?",
        "Use the complaint form on this website; you do not need an account. You can also mail it. We never tell "
        "the person you complain about who made the complaint.",
    ),
]

SAVED_ANSWERS = [
    (
        "Scholarships can pay fees",
        "fees",
        "Thank you for asking. Scholarships and fee waivers can pay any program fee. Apply for a scholarship from "
        "your account before you pay; if it is approved, the fee is covered and you do not pay it.",
    ),
    (
        "Exam retakes",
        "exam",
        "You can take the exam up to 3 times while your approved application is valid (12 months). Each attempt has "
        "its own fee. Your account shows how many attempts you have left.",
    ),
]

# The same entries in Spanish, by the English question (plain words, gender-neutral).
FAQ_ES = {
    "How do I become a certified peer support specialist?": (
        "¿Cómo obtengo la certificación como especialista en apoyo entre pares?",
        "Cree una cuenta, llene la solicitud y pague la cuota de solicitud. Después termine la capacitación "
        "básica de 80 horas con una entidad de capacitación aprobada y apruebe el examen de certificación. "
        "Tiene 12 meses desde la aprobación para terminar la capacitación y el examen.",
    ),
    "Do I have to share my own recovery story?": (
        "¿Tengo que contar mi propia historia de recuperación?",
        "Debe tener experiencia vivida de recuperación de una enfermedad mental o del uso de sustancias, en su "
        "propia vida o como madre, padre, persona cuidadora o familiar, y tener la disposición de compartirla cuando "
        "ayude a las personas a quienes sirve. Usted decide cuánto compartir.",
    ),
    "How much does it cost, and can I get help paying?": (
        "¿Cuánto cuesta y puedo recibir ayuda para pagar?",
        "La cuota de solicitud es de $100 y la del examen es de $150. Las becas y las exenciones de cuota pueden "
        "pagar cualquier cuota. Pregunte por ellas antes de pagar.",
    ),
    "What if I do not pass the exam?": (
        "¿Qué pasa si no apruebo el examen?",
        "Puede presentar el examen hasta 3 veces mientras la aprobación de su solicitud siga vigente. Cada "
        "intento tiene su propia cuota.",
    ),
    "How do I keep my certification?": (
        "¿Cómo mantengo mi certificación?",
        "Renueve cada 2 años. Necesita 20 horas de educación continua, con al menos 6 en leyes y ética, y "
        "vuelve a firmar el Código de Ética.",
    ),
    "How do I make a complaint about a peer or a training entity?": (
        "¿Cómo presento una queja sobre una persona par o una entidad de capacitación?",
        "Use el formulario de quejas de este sitio; no necesita una cuenta. También puede enviarlo por correo. "
        "Nunca le decimos a la persona de quien se queja quién presentó la queja.",
    ),
}


def seed(out) -> None:
    reviewer = User.objects.filter(email="reviewer@demo.peercert.example").first()
    peer_user = User.objects.filter(email="peer@demo.peercert.example").first()
    for title, category, body in SAVED_ANSWERS:
        SavedAnswer.objects.get_or_create(title=title, defaults={"category": category, "body": body})
    for category, order, question, answer in FAQ:
        english, _created = FaqEntry.objects.get_or_create(
            question=question, defaults={"answer": answer, "category": category, "order": order}
        )
        if question in FAQ_ES:
            spanish_question, spanish_answer = FAQ_ES[question]
            FaqEntry.objects.get_or_create(
                translation_of=english,
                language="es",
                defaults={"question": spanish_question, "answer": spanish_answer, "category": category, "order": order},
            )
    if (
        reviewer is not None
        and peer_user is not None
        and not AssistanceRequest.objects.filter(requester=peer_user).exists()
    ):
        asked = services.assistance_ask(
            actor=peer_user,
            name="María José Hernández",
            email=peer_user.email,
            category="fees",
            subject="¿Puede una beca pagar el examen?",
            question="I am about to schedule my exam. Can a scholarship pay the exam fee?",
        )
        services.assistance_reply(actor=reviewer, request=asked, body=SAVED_ANSWERS[0][2])
    if not AssistanceRequest.objects.filter(email="kwabena.owusu@example.com").exists():
        services.assistance_ask(
            actor=None,
            name="Kwabena Owusu",
            email="kwabena.owusu@example.com",
            category="training",
            subject="Online core training",
            question="Is there an approved core training I can take online in the evenings?",
        )
    if out is not None:
        answered = AssistanceRequest.objects.filter(status=AssistanceStatus.ANSWERED).count()
        out.write(f"Assistance: {answered} answered question(s), {FaqEntry.objects.count()} FAQ entries.\n")
