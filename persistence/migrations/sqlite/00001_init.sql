-- The whole inbox schema, the same logical model as the Postgres one.
-- Instants are DATETIME columns holding UTC text written by the driver as
-- "2006-01-02 15:04:05.999999-07:00" from Go times already in UTC: with a
-- constant "+00:00" suffix that text sorts in time order, so ORDER BY and
-- keyset comparisons on it are correct. Every tenant table carries
-- workspace_id and children reference (workspace_id, parent_id), so a row
-- can never point into another workspace.

-- +goose Up
CREATE TABLE partners (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    created_at DATETIME NOT NULL
);

CREATE TABLE workspaces (
    id         text PRIMARY KEY,
    partner_id text REFERENCES partners (id),
    name       text NOT NULL,
    timezone   text NOT NULL,
    locale     text NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX workspaces_partner ON workspaces (partner_id) WHERE partner_id IS NOT NULL;

CREATE TABLE users (
    id            text PRIMARY KEY,
    workspace_id  text NOT NULL REFERENCES workspaces (id),
    email         text NOT NULL,
    name          text NOT NULL,
    role          text NOT NULL,
    availability  text NOT NULL,
    capacity      integer NOT NULL,
    active        boolean NOT NULL,
    password_hash text NOT NULL,
    token_version integer NOT NULL DEFAULT 0,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    UNIQUE (workspace_id, id),
    CONSTRAINT users_workspace_email UNIQUE (workspace_id, email)
);
CREATE INDEX users_email ON users (email);
CREATE INDEX users_workspace_created ON users (workspace_id, created_at, id);

CREATE TABLE queues (
    id           text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces (id),
    name         text NOT NULL,
    description  text NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX queues_workspace_name ON queues (workspace_id, lower(name));

CREATE TABLE queue_members (
    workspace_id text NOT NULL,
    queue_id     text NOT NULL,
    user_id      text NOT NULL,
    PRIMARY KEY (queue_id, user_id),
    FOREIGN KEY (workspace_id, queue_id) REFERENCES queues (workspace_id, id),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
);
CREATE INDEX queue_members_user ON queue_members (workspace_id, user_id);

CREATE TABLE tags (
    id           text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces (id),
    name         text NOT NULL,
    color        text NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX tags_workspace_name ON tags (workspace_id, lower(name));

CREATE TABLE channels (
    id                   text PRIMARY KEY,
    workspace_id         text NOT NULL REFERENCES workspaces (id),
    name                 text NOT NULL,
    phone_number_id      text NOT NULL,
    waba_id              text NOT NULL,
    display_phone_number text NOT NULL,
    mode                 text NOT NULL,
    created_at           DATETIME NOT NULL,
    updated_at           DATETIME NOT NULL,
    UNIQUE (workspace_id, id),
    -- One number routes to one workspace: unique across all tenants.
    CONSTRAINT channels_phone_number_id UNIQUE (phone_number_id)
);

CREATE TABLE contacts (
    id                text PRIMARY KEY,
    workspace_id      text NOT NULL REFERENCES workspaces (id),
    wa_id             text NOT NULL DEFAULT '',
    phone_e164        text NOT NULL DEFAULT '',
    name              text NOT NULL DEFAULT '',
    email             text NOT NULL DEFAULT '',
    custom_attributes TEXT NOT NULL DEFAULT '{}',
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL,
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX contacts_workspace_wa_id ON contacts (workspace_id, wa_id) WHERE wa_id <> '';
CREATE INDEX contacts_workspace_created ON contacts (workspace_id, created_at DESC, id DESC);
CREATE INDEX contacts_workspace_phone ON contacts (workspace_id, phone_e164) WHERE phone_e164 <> '';

CREATE TABLE contact_tags (
    workspace_id text NOT NULL,
    contact_id   text NOT NULL,
    tag_id       text NOT NULL,
    PRIMARY KEY (contact_id, tag_id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, tag_id) REFERENCES tags (workspace_id, id)
);
CREATE INDEX contact_tags_tag ON contact_tags (workspace_id, tag_id, contact_id);

CREATE TABLE conversations (
    id                       text PRIMARY KEY,
    workspace_id             text NOT NULL REFERENCES workspaces (id),
    contact_id               text NOT NULL,
    channel_id               text,
    queue_id                 text,
    assignee_id              text,
    status                   text NOT NULL,
    priority                 text NOT NULL,
    close_reason             text NOT NULL DEFAULT '',
    version                  integer NOT NULL,
    created_at               DATETIME NOT NULL,
    updated_at               DATETIME NOT NULL,
    last_activity_at         DATETIME NOT NULL,
    first_human_response_at  DATETIME,
    last_customer_message_at DATETIME,
    closed_at                DATETIME,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, channel_id) REFERENCES channels (workspace_id, id),
    FOREIGN KEY (workspace_id, queue_id) REFERENCES queues (workspace_id, id),
    FOREIGN KEY (workspace_id, assignee_id) REFERENCES users (workspace_id, id)
);
-- Inbox hot paths: newest activity first, per status, queue or assignee.
CREATE INDEX conversations_inbox ON conversations (workspace_id, last_activity_at DESC, id DESC);
CREATE INDEX conversations_status ON conversations (workspace_id, status, last_activity_at DESC, id DESC);
CREATE INDEX conversations_queue ON conversations (workspace_id, queue_id, last_activity_at DESC, id DESC);
CREATE INDEX conversations_assignee ON conversations (workspace_id, assignee_id, last_activity_at DESC, id DESC);
CREATE INDEX conversations_contact ON conversations (workspace_id, contact_id);
CREATE INDEX conversations_channel ON conversations (channel_id) WHERE channel_id IS NOT NULL;

CREATE TABLE conversation_tags (
    workspace_id    text NOT NULL,
    conversation_id text NOT NULL,
    tag_id          text NOT NULL,
    PRIMARY KEY (conversation_id, tag_id),
    FOREIGN KEY (workspace_id, conversation_id) REFERENCES conversations (workspace_id, id),
    FOREIGN KEY (workspace_id, tag_id) REFERENCES tags (workspace_id, id)
);
CREATE INDEX conversation_tags_tag ON conversation_tags (workspace_id, tag_id, conversation_id);

CREATE TABLE messages (
    id                  text PRIMARY KEY,
    workspace_id        text NOT NULL REFERENCES workspaces (id),
    conversation_id     text NOT NULL,
    channel_id          text,
    direction           text NOT NULL,
    author_kind         text NOT NULL,
    -- A user, a contact or an API key id: no foreign key on purpose.
    author_id           text NOT NULL DEFAULT '',
    type                text NOT NULL,
    text                text NOT NULL DEFAULT '',
    media_ref           text NOT NULL DEFAULT '',
    provider_message_id text NOT NULL DEFAULT '',
    status              text NOT NULL,
    error_code          text NOT NULL DEFAULT '',
    error_title         text NOT NULL DEFAULT '',
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL,
    FOREIGN KEY (workspace_id, conversation_id) REFERENCES conversations (workspace_id, id),
    FOREIGN KEY (workspace_id, channel_id) REFERENCES channels (workspace_id, id)
);
-- A webhook redelivery of the same wamid on the same number is a no-op.
CREATE UNIQUE INDEX messages_provider_id ON messages (channel_id, provider_message_id) WHERE provider_message_id <> '';
CREATE INDEX messages_conversation ON messages (conversation_id, created_at, id);
CREATE INDEX messages_channel ON messages (channel_id) WHERE channel_id IS NOT NULL;

CREATE TABLE notes (
    id              text PRIMARY KEY,
    workspace_id    text NOT NULL REFERENCES workspaces (id),
    conversation_id text NOT NULL,
    author_id       text NOT NULL DEFAULT '',
    body            text NOT NULL,
    created_at      DATETIME NOT NULL,
    FOREIGN KEY (workspace_id, conversation_id) REFERENCES conversations (workspace_id, id)
);
CREATE INDEX notes_conversation ON notes (conversation_id, created_at, id);

CREATE TABLE tasks (
    id              text PRIMARY KEY,
    workspace_id    text NOT NULL REFERENCES workspaces (id),
    conversation_id text,
    contact_id      text,
    title           text NOT NULL,
    due_at          DATETIME,
    assignee_id     text,
    -- A user, an API key or "system": no foreign key on purpose.
    created_by_id   text NOT NULL DEFAULT '',
    done            boolean NOT NULL DEFAULT 0,
    done_at         DATETIME,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    FOREIGN KEY (workspace_id, conversation_id) REFERENCES conversations (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, assignee_id) REFERENCES users (workspace_id, id)
);
CREATE INDEX tasks_workspace_created ON tasks (workspace_id, created_at, id);
CREATE INDEX tasks_conversation ON tasks (conversation_id) WHERE conversation_id IS NOT NULL;
CREATE INDEX tasks_contact ON tasks (contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX tasks_assignee ON tasks (workspace_id, assignee_id) WHERE assignee_id IS NOT NULL;

CREATE TABLE api_keys (
    id           text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces (id),
    name         text NOT NULL,
    role         text NOT NULL,
    prefix       text NOT NULL,
    secret_hash  text NOT NULL,
    created_by   text NOT NULL DEFAULT '',
    expires_at   DATETIME,
    revoked_at   DATETIME,
    last_used_at DATETIME,
    created_at   DATETIME NOT NULL,
    CONSTRAINT api_keys_secret_hash UNIQUE (secret_hash)
);
CREATE INDEX api_keys_workspace ON api_keys (workspace_id, created_at, id);

CREATE TABLE sessions (
    id           text PRIMARY KEY,
    workspace_id text NOT NULL,
    user_id      text NOT NULL,
    family_id    text NOT NULL,
    token_hash   text NOT NULL,
    expires_at   DATETIME NOT NULL,
    used_at      DATETIME,
    revoked_at   DATETIME,
    created_at   DATETIME NOT NULL,
    CONSTRAINT sessions_token_hash UNIQUE (token_hash),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
);
CREATE INDEX sessions_family ON sessions (family_id);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE events (
    id           text PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES workspaces (id),
    type         text NOT NULL,
    subject_id   text NOT NULL DEFAULT '',
    payload      TEXT NOT NULL DEFAULT '{}',
    created_at   DATETIME NOT NULL
);
-- The pull feed reads a workspace's events in id (= time) order.
CREATE INDEX events_workspace ON events (workspace_id, id);

-- +goose Down
DROP TABLE events;
DROP TABLE sessions;
DROP TABLE api_keys;
DROP TABLE tasks;
DROP TABLE notes;
DROP TABLE messages;
DROP TABLE conversation_tags;
DROP TABLE conversations;
DROP TABLE contact_tags;
DROP TABLE contacts;
DROP TABLE channels;
DROP TABLE tags;
DROP TABLE queue_members;
DROP TABLE queues;
DROP TABLE users;
DROP TABLE workspaces;
DROP TABLE partners;
