-- The raw limit: the minimal SQL of ingesting one inbound message, for
-- pgbench. One transaction stores the message once by its unique key
-- (channel, wamid), a redelivery doing nothing, and moves its
-- conversation's activity forward: 4 round trips in all. The load tool
-- (centralita bench ingest) fills bench_raw_conversations with the
-- run's conversations and runs this at the server's pool size.
\set k random(1, :conversations)
\set n random(1, 2000000000)
BEGIN;
INSERT INTO messages (id, workspace_id, conversation_id, channel_id, direction, author_kind, author_id, type, text,
                      provider_message_id, status, created_at, updated_at)
SELECT 'msg_raw_' || :client_id || '_' || :n, workspace_id, id, channel_id, 'inbound', 'contact', contact_id, 'text',
       'Hola, ¿me ayudan con mi pedido?', 'wamid.raw.' || :client_id || '.' || :n, 'received', now(), now()
FROM bench_raw_conversations WHERE k = :k
ON CONFLICT DO NOTHING;
UPDATE conversations SET last_activity_at = now(), last_customer_message_at = now(), updated_at = now(), version = version + 1
WHERE id = (SELECT id FROM bench_raw_conversations WHERE k = :k);
COMMIT;
