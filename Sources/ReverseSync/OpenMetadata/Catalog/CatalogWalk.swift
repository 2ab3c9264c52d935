/// Walks one database service of the catalog: its databases, each database's schemas, each
/// schema's tables (with owners, tags and columns), every list read page by page. The visitor sees
/// each entity once, parents before children; nothing is kept between pages.
public struct CatalogWalk {
    public let client: CatalogClient
    public let service: String
    public let pageSize: Int

    public init(client: CatalogClient, service: String, pageSize: Int) {
        self.client = client
        self.service = service
        self.pageSize = pageSize
    }

    public struct Visitor {
        public var database: (CatalogEntity) throws -> Void
        public var schema: (_ database: CatalogEntity, _ schema: CatalogEntity) throws -> Void
        public var tables: (_ database: CatalogEntity, _ schema: CatalogEntity, _ page: [CatalogEntity]) throws -> Void

        public init(database: @escaping (CatalogEntity) throws -> Void,
                    schema: @escaping (CatalogEntity, CatalogEntity) throws -> Void,
                    tables: @escaping (CatalogEntity, CatalogEntity, [CatalogEntity]) throws -> Void) {
            self.database = database
            self.schema = schema
            self.tables = tables
        }
    }

    public func run(_ visitor: Visitor) throws {
        try client.list("databases", filter: ("service", service), fields: "owners,tags", pageSize: pageSize) { databases in
            for database in databases {
                try visitor.database(database)
                let databaseFQN = database.fullyQualifiedName ?? FullyQualifiedName.join([service, database.name])
                try client.list("databaseSchemas", filter: ("database", databaseFQN), fields: "owners,tags", pageSize: pageSize) { schemas in
                    for schema in schemas {
                        try visitor.schema(database, schema)
                        let schemaFQN = schema.fullyQualifiedName ?? FullyQualifiedName.join([service, database.name, schema.name])
                        try client.list("tables", filter: ("databaseSchema", schemaFQN), fields: "owners,tags,columns", pageSize: pageSize) { tables in
                            try visitor.tables(database, schema, tables)
                        }
                    }
                }
            }
        }
    }
}
