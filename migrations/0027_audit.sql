-- Privacy settings for the audit log and data-subject requests part of Operations: one row.
-- mask_contacts_for_agents: agents see a customer's e-mail and phone masked in the context card
-- and the customer 360, and reveal them one at a time (each reveal is audited as a read);
-- supervisors and admins always see them in full.

-- +goose Up
CREATE TABLE privacy_settings (
    id                        boolean PRIMARY KEY DEFAULT true CHECK (id),
    mask_contacts_for_agents  boolean NOT NULL DEFAULT false,
    updated_by                bigint REFERENCES users (id) ON DELETE SET NULL,
    updated_at                timestamptz NOT NULL DEFAULT now()
);
INSERT INTO privacy_settings DEFAULT VALUES;

-- +goose Down
DROP TABLE privacy_settings;
