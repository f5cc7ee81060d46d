from .services import install_default_rules


def load(workshop):
    created = install_default_rules(workshop)
    return f"{created} reminder rules added" if created else None
