"""The public registry as a read-only FHIR R4 directory (Practitioner, Organization, PractitionerRole, metadata).

No sign-in, as the Da Vinci Plan-Net guide asks of payer directories. Every resource is built
with the fhir.resources R4B models (resources.py), so what leaves is validated FHIR, never a
hand-made dict. The set of certifications is the public registry's own
(registry.selectors.registry_queryset), and only its public fields are ever read. Hires
(PractitionerRole) and providers (Organization provider-<pk>) are read through
benefit.selectors.public_hires and public_providers, never benefit's models.
"""
