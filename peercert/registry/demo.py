"""Demo data for this app, loaded by `manage.py seed_demo`. Must be idempotent."""


def seed(out) -> None:
    # The bulk files are made from the certifications the apps before this one seeded.
    from peercert.registry import bulkfiles

    result = bulkfiles.generate()
    out.write(f"  registry: bulk files written ({result['rows']} certifications)\n")
