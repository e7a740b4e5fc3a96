-- The SIASN import asks, for each NIP, which approved changes SIASN has not recorded yet (pending or failed
-- rows of siasn_outbox) and leaves their records alone; this index answers that without a scan of the outbox,
-- which keeps every recorded row.
CREATE INDEX siasn_outbox_nip ON siasn_outbox (nip, state);
