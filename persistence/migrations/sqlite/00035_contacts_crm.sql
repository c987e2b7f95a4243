-- +goose Up
-- CRM bridge (#12), contacts: see the Postgres migration of the same
-- version for the reasons.
ALTER TABLE workspaces ADD COLUMN default_country text NOT NULL DEFAULT 'PE';
ALTER TABLE contacts ADD COLUMN deleted_at DATETIME;
ALTER TABLE contacts ADD COLUMN merged_into text NOT NULL DEFAULT '';

UPDATE contacts SET custom_attributes = json_set(custom_attributes, '$.duplicate_phone_e164', phone_e164),
    phone_e164 = ''
WHERE phone_e164 <> '' AND EXISTS (SELECT 1 FROM contacts o WHERE o.workspace_id = contacts.workspace_id
    AND o.phone_e164 = contacts.phone_e164
    AND (o.created_at < contacts.created_at OR (o.created_at = contacts.created_at AND o.id < contacts.id)));
UPDATE contacts SET custom_attributes = json_set(custom_attributes, '$.duplicate_email', email),
    email = ''
WHERE email <> '' AND EXISTS (SELECT 1 FROM contacts o WHERE o.workspace_id = contacts.workspace_id
    AND o.email = contacts.email
    AND (o.created_at < contacts.created_at OR (o.created_at = contacts.created_at AND o.id < contacts.id)));
DROP INDEX contacts_workspace_wa_id;
DROP INDEX contacts_workspace_user_id;
DROP INDEX contacts_workspace_phone;
CREATE UNIQUE INDEX contacts_live_wa_id ON contacts (workspace_id, wa_id) WHERE wa_id <> '' AND deleted_at IS NULL;
CREATE UNIQUE INDEX contacts_live_user_id ON contacts (workspace_id, user_id) WHERE user_id <> '' AND deleted_at IS NULL;
CREATE UNIQUE INDEX contacts_live_phone ON contacts (workspace_id, phone_e164) WHERE phone_e164 <> '' AND deleted_at IS NULL;
CREATE UNIQUE INDEX contacts_live_email ON contacts (workspace_id, email) WHERE email <> '' AND deleted_at IS NULL;
CREATE INDEX contacts_merged_wa_id ON contacts (workspace_id, wa_id) WHERE merged_into <> '';
CREATE INDEX contacts_merged_user_id ON contacts (workspace_id, user_id) WHERE merged_into <> '';

CREATE TABLE contact_external_refs (
    workspace_id text NOT NULL,
    contact_id   text NOT NULL,
    system       text NOT NULL,
    external_id  text NOT NULL,
    created_at   DATETIME NOT NULL,
    PRIMARY KEY (workspace_id, system, external_id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id)
);
CREATE INDEX contact_external_refs_contact ON contact_external_refs (workspace_id, contact_id);

-- +goose Down
DROP TABLE contact_external_refs;
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
