-- +goose Up
-- Row-level security (#9): defence in depth under the store's own
-- scoping. Every tenant table (every table with a workspace_id) admits only
-- the rows of the workspace named by the transaction's app.workspace_id
-- setting, which the application sets at the start of each transaction
-- (persistence/rls.go); FORCE makes the tables' owner obey too. A role
-- that is a superuser or has BYPASSRLS is not subject to any of this: the
-- application should connect as a role that is neither (see README,
-- "Row-level security on Postgres"). A new tenant table must get the same
-- policy in its own migration (TestEveryTenantTableHasRowLevelSecurity
-- fails until it does).
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOR t IN
        SELECT c.table_name FROM information_schema.columns c
        JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND c.column_name = 'workspace_id' AND tb.table_type = 'BASE TABLE'
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I '
            'USING (workspace_id = current_setting(''app.workspace_id'', true)) '
            'WITH CHECK (workspace_id = current_setting(''app.workspace_id'', true))', t);
    END LOOP;
END $$;
-- +goose StatementEnd

ALTER TABLE workspaces ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspaces FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON workspaces
    USING (id = current_setting('app.workspace_id', true))
    WITH CHECK (id = current_setting('app.workspace_id', true));

-- The few lookups that happen before a workspace is known, or that sweep
-- every workspace, run in transactions with app.cross_tenant = 'on' (only
-- the store methods documented as unscoped set it). It opens exactly what
-- they need and nothing else: reading numbers to route a webhook, reading
-- users and their queues to log in by email, reading and touching API keys
-- and sessions to authenticate, and pruning parked receipts. Conversations,
-- contacts, messages and every other table never admit it.
CREATE POLICY cross_tenant_read ON channels FOR SELECT
    USING (current_setting('app.cross_tenant', true) = 'on');
CREATE POLICY cross_tenant_read ON users FOR SELECT
    USING (current_setting('app.cross_tenant', true) = 'on');
CREATE POLICY cross_tenant_read ON queue_members FOR SELECT
    USING (current_setting('app.cross_tenant', true) = 'on');
CREATE POLICY cross_tenant_read ON api_keys FOR SELECT
    USING (current_setting('app.cross_tenant', true) = 'on');
CREATE POLICY cross_tenant_touch ON api_keys FOR UPDATE
    USING (current_setting('app.cross_tenant', true) = 'on');
CREATE POLICY cross_tenant_read ON sessions FOR SELECT
    USING (current_setting('app.cross_tenant', true) = 'on');
CREATE POLICY cross_tenant_revoke ON sessions FOR UPDATE
    USING (current_setting('app.cross_tenant', true) = 'on');
CREATE POLICY cross_tenant_read ON parked_statuses FOR SELECT
    USING (current_setting('app.cross_tenant', true) = 'on');
CREATE POLICY cross_tenant_prune ON parked_statuses FOR DELETE
    USING (current_setting('app.cross_tenant', true) = 'on');

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    p record;
BEGIN
    FOR p IN SELECT tablename, policyname FROM pg_policies WHERE schemaname = current_schema()
        AND policyname IN ('tenant_isolation', 'cross_tenant_read', 'cross_tenant_touch', 'cross_tenant_revoke', 'cross_tenant_prune')
    LOOP
        EXECUTE format('DROP POLICY %I ON %I', p.policyname, p.tablename);
        EXECUTE format('ALTER TABLE %I NO FORCE ROW LEVEL SECURITY', p.tablename);
        EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', p.tablename);
    END LOOP;
END $$;
-- +goose StatementEnd
