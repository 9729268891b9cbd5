from sifa.accounts.roles import MANAGE_SETTINGS, has_cap


def can_manage_orgs(user) -> bool:
    return has_cap(user, MANAGE_SETTINGS)
