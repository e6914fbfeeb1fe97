-- Pull requests from a task's branch (POST /api/v1/tasks/{id}/create-pr).

alter table tasks add column branch text;
alter table tasks add column pr_number integer;
alter table tasks add column pr_url text;
-- Why the last create-pr failed; the task itself stays as it was.
alter table tasks add column pr_error text;
-- The status to return to when creating the pull request fails; set while the task is creating_pr.
alter table tasks add column pr_previous_status text;
