-- +goose Up
-- CRM bridge (#12), contacts. A workspace reads phone numbers typed
-- without a country code in its default_country. Contacts are deleted
-- softly (deleted_at: gone from lists and reads, their conversations
-- kept) and merged (merged_into names the survivor, so a read of the old
-- id can point there and a message from its WhatsApp ids lands there).
ALTER TABLE workspaces ADD COLUMN default_country text NOT NULL DEFAULT 'PE';
ALTER TABLE contacts ADD COLUMN deleted_at timestamptz;
ALTER TABLE contacts ADD COLUMN merged_into text NOT NULL DEFAULT '';

-- One live contact per WhatsApp id, phone number and email, so upserts by
-- any of them never create a second person, even when they race. A number
-- or email already held by an older contact is moved out of the way, into
-- the newer contact's custom attributes, for a person to merge them.
UPDATE contacts c SET custom_attributes = c.custom_attributes || jsonb_build_object('duplicate_phone_e164', c.phone_e164),
    phone_e164 = ''
WHERE c.phone_e164 <> '' AND EXISTS (SELECT 1 FROM contacts o WHERE o.workspace_id = c.workspace_id
    AND o.phone_e164 = c.phone_e164 AND (o.created_at, o.id) < (c.created_at, c.id));
UPDATE contacts c SET custom_attributes = c.custom_attributes || jsonb_build_object('duplicate_email', c.email),
    email = ''
WHERE c.email <> '' AND EXISTS (SELECT 1 FROM contacts o WHERE o.workspace_id = c.workspace_id
    AND o.email = c.email AND (o.created_at, o.id) < (c.created_at, c.id));
DROP INDEX contacts_workspace_wa_id;
DROP INDEX contacts_workspace_user_id;
DROP INDEX contacts_workspace_phone;
CREATE UNIQUE INDEX contacts_live_wa_id ON contacts (workspace_id, wa_id) WHERE wa_id <> '' AND deleted_at IS NULL;
CREATE UNIQUE INDEX contacts_live_user_id ON contacts (workspace_id, user_id) WHERE user_id <> '' AND deleted_at IS NULL;
CREATE UNIQUE INDEX contacts_live_phone ON contacts (workspace_id, phone_e164) WHERE phone_e164 <> '' AND deleted_at IS NULL;
CREATE UNIQUE INDEX contacts_live_email ON contacts (workspace_id, email) WHERE email <> '' AND deleted_at IS NULL;
-- A message from a merged contact's ids finds the merged row, then its survivor.
CREATE INDEX contacts_merged_wa_id ON contacts (workspace_id, wa_id) WHERE merged_into <> '';
CREATE INDEX contacts_merged_user_id ON contacts (workspace_id, user_id) WHERE merged_into <> '';
-- Filtering by custom attribute (?attr.plan=gold) is a containment query.
CREATE INDEX contacts_custom_attributes ON contacts USING gin (custom_attributes jsonb_path_ops);

-- A CRM's own ids for a contact: one contact per (system, id) in a
-- workspace; a contact may carry several (after a merge, even two of one
-- system).
CREATE TABLE contact_external_refs (
    workspace_id text NOT NULL,
    contact_id   text NOT NULL,
    system       text NOT NULL,
    external_id  text NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, system, external_id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id)
);
CREATE INDEX contact_external_refs_contact ON contact_external_refs (workspace_id, contact_id);
ALTER TABLE contact_external_refs ENABLE ROW LEVEL SECURITY;
ALTER TABLE contact_external_refs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON contact_external_refs
    USING (workspace_id = current_setting('app.workspace_id', true))
    WITH CHECK (workspace_id = current_setting('app.workspace_id', true));

-- +goose Down
DROP TABLE contact_external_refs;
DROP INDEX contacts_custom_attributes;
DROP INDEX contacts_merged_user_id;
DROP INDEX contacts_merged_wa_id;
DROP INDEX contacts_live_email;
DROP INDEX contacts_live_phone;
DROP INDEX contacts_live_user_id;
DROP INDEX contacts_live_wa_id;
CREATE INDEX contacts_workspace_phone ON contacts (workspace_id, phone_e164) WHERE phone_e164 <> '';
CREATE UNIQUE INDEX contacts_workspace_user_id ON contacts (workspace_id, user_id) WHERE user_id <> '';
CREATE UNIQUE INDEX contacts_workspace_wa_id ON contacts (workspace_id, wa_id) WHERE wa_id <> '';
ALTER TABLE contacts DROP COLUMN merged_into;
ALTER TABLE contacts DROP COLUMN deleted_at;
ALTER TABLE workspaces DROP COLUMN default_country;
