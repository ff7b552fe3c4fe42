-- 主动公开基本目录: each entry as JSON (公开事项、内容、依据、时限、主体、渠道、对象、方式、层级).
CREATE TABLE catalog_entries (
    agency TEXT NOT NULL REFERENCES agencies (code),
    id BIGINT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (agency, id)
);
