"""Every refusal of the admin area, as a stable reason code with its message.

The codes are part of the command contract (`werkpas commands` lists them);
the web layer shows the message in the user's language. A code keeps its
meaning once released; a new refusal gets a new code.
"""

from __future__ import annotations

from app.domain.core.reasons import declare
from app.i18n import lazy

# The refusal of an account that holds a role the actor may not grant
# (grants.require_within_reach). Other areas that call require_within_reach
# answer it too, so they declare it among their own codes:
# `declare("accounts", {**REACH_CODES, ...})`.
REACH_CODES = {
    "protected": lazy(
        "This account holds a role that you cannot grant, so you cannot change it. Ask a platform admin."
    ),
}

CODES = declare(
    "admin",
    {
        # names and addresses
        "name_missing": lazy("Enter a name."),
        "name_too_long": lazy("Use at most 200 characters."),
        "email_missing": lazy("Enter an e-mail address."),
        "email_invalid": lazy("Enter a valid e-mail address, like name@example.be."),
        "language_missing": lazy("Choose a language."),
        # organisations
        "slug_missing": lazy("Enter a short name for web addresses."),
        "slug_invalid": lazy("Use only lowercase letters a-z, digits and single hyphens (at most 80)."),
        "slug_taken": lazy("Another organisation already uses this short name."),
        "organisation_kind_missing": lazy("Choose a kind of organisation."),
        "days_invalid": lazy("Enter a whole number of days from 1 to 365."),
        # units
        "parent_not_listed": lazy("Choose a parent unit from the list."),
        "unit_kind_missing": lazy("Choose the kind of unit."),
        "site_has_no_parent": lazy("A site is at the top: choose no parent."),
        "department_needs_site": lazy("A department belongs to a site: choose a site as parent."),
        "subgroup_needs_department": lazy("A subgroup belongs to a department or another subgroup."),
        "too_deep": lazy("Units can be nested at most 8 levels deep."),
        "unit_name_taken": lazy("A unit with this name already exists at this place in the tree."),
        "unit_has_children": lazy("This unit still has units below it. Delete those first."),
        "unit_has_grants": lazy("Roles are still granted on this unit. Revoke them first."),
        "unit_has_members": lazy("People on the roster still belong to this unit. Move them to another unit first."),
        "unit_has_invitations": lazy(
            "Invitations for this unit are still open. Revoke them or wait until they are used."
        ),
        # role grants
        "role_missing": lazy("Choose a role."),
        "role_for_unit": lazy("Choose a role for this unit."),
        "platform_admin_only": lazy("Only a platform admin can grant the platform admin role."),
        "platform_admin_no_unit": lazy("The platform admin role covers everything: choose no unit."),
        "no_organisation": lazy("This user belongs to no organisation; only the platform admin role can be granted."),
        "other_organisation": lazy("You can only grant roles in your own organisation."),
        "unit_not_listed": lazy("Choose a unit from the list."),
        "org_admin_no_unit": lazy("An organisation admin is granted on the whole organisation: choose no unit."),
        "already_granted": lazy("This user already has this role here."),
        "own_admin_role": lazy("You cannot remove your own admin role; ask another admin."),
        **REACH_CODES,
        # staff users
        "organisation_missing": lazy("Choose an organisation."),
        "email_taken": lazy("A user with this e-mail address already exists."),
        "worker_login": lazy(
            "This is a worker's own login: only the worker can change this e-mail address or phone number."
        ),
        "deactivated": lazy("This account is deactivated. Reactivate it first."),
        "own_account": lazy("You cannot deactivate your own account. Ask another admin."),
        "password_set": lazy(
            "This user has already set a password; they can use 'Forgot your password?' on the login page."
        ),
        # jobs
        "job_not_failed": lazy("Only a failed job can be retried."),
        # audit log filters (a query, not a command: the same catalogue)
        "actor_invalid": lazy("Enter an e-mail address or a user number."),
        "organisation_not_listed": lazy("Choose an organisation from the list."),
        "date_invalid": lazy("Enter a date like 2025-03-31."),
        "dates_reversed": lazy("The end date is before the start date."),
    },
)
