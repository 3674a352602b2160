// Installs the local database server (FerretDB) when no MongoDB is configured; see engine/db/.
