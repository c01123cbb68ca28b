"""Bulk registration (seed 004): an employer's list of staff, as CSV or XLSX,
becomes people, roster memberships and invitations, with a result code per
row (1 done, 2 not needed, 3 not found, 4 invalid).

The upload is parsed in memory and discarded: only counts and per-row codes
are stored (ImportRun, ImportRow), never the file or its values.

    sandbox   an upload -> rows, read in a child process (memory and time capped)
    reading   bytes -> rows of raw cells (file type by content, limits)
    archive   the XLSX zip checked before any reader opens it
    limits    every bound on a list, and FileProblem
    wire      the child's answer (MessagePack), child its entry point
    columns   header row -> field per column (Dutch, French, English)
    values    one cell -> date, postcode, text
    plan      rows -> result code per row (dry run and apply share it)
    apply     the command `invitations.import_apply` (one transaction)
    results   stored runs and rows, CSV/XLSX export
    safe_cells  exported text never becomes a formula
"""
