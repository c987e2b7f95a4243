-- +goose Up
-- Click-to-WhatsApp ad referrals (source id, headline, ctwa_clid...), as
-- JSON: on the message that carried it, and as the lead source of the
-- conversation and of the contact (the first one wins).
ALTER TABLE messages ADD COLUMN referral jsonb;
ALTER TABLE conversations ADD COLUMN lead_source jsonb;
ALTER TABLE contacts ADD COLUMN lead_source jsonb;

-- +goose Down
ALTER TABLE contacts DROP COLUMN lead_source;
ALTER TABLE conversations DROP COLUMN lead_source;
ALTER TABLE messages DROP COLUMN referral;
