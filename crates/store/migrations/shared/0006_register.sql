-- 第二十条 register: 规章 and 行政规范性文件 with their dates, and each year's decisions and fees.
CREATE TABLE register_documents (
    agency TEXT NOT NULL REFERENCES agencies (code),
    id BIGINT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (agency, id)
);

CREATE TABLE register_figures (
    agency TEXT NOT NULL REFERENCES agencies (code),
    year INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (agency, year)
);
