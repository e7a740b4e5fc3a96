-- Supporting documents, stored once by the SHA-256 of their content; the bytes live in a blob store
-- (a directory by default), these tables say who may read them. Portable DDL (SQLite and PostgreSQL).

-- A complete, verified document (content type sniffed from its bytes, never from a file name).
CREATE TABLE document (
    sha256 TEXT PRIMARY KEY,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_at TEXT NOT NULL
);

-- Who uploaded a document (each owner uploaded the whole content once).
CREATE TABLE document_owner (
    sha256 TEXT NOT NULL,
    nip TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (sha256, nip)
);
CREATE INDEX document_owner_nip ON document_owner (nip);

-- A resumable upload in progress: one per (document, user); removed when complete or refused.
CREATE TABLE document_upload (
    sha256 TEXT NOT NULL,
    nip TEXT NOT NULL,
    received BIGINT NOT NULL,
    length BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (sha256, nip)
);

-- The documents a proposal carries, so the reviewers of its agency may read them.
CREATE TABLE usulan_document (
    usulan_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    dokumen_id TEXT NOT NULL,
    PRIMARY KEY (usulan_id, sha256, dokumen_id)
);
CREATE INDEX usulan_document_sha256 ON usulan_document (sha256);
