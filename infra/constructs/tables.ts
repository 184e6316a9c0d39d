// The DynamoDB tables, from the same specification the local runtime creates: on demand,
// point-in-time recovery, deletion protection, TTL where items expire, the GSIs of docs/store.md.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLES, type TableName } from '../../functions/adapters/aws/tables';

export class Tables extends Construct {
  readonly byName: Record<TableName, dynamodb.TableV2>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const entries = (Object.keys(TABLES) as TableName[]).map((name) => {
      const spec = TABLES[name];
      const table = new dynamodb.TableV2(this, name[0]!.toUpperCase() + name.slice(1), {
        partitionKey: { name: spec.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: spec.sortKey, type: dynamodb.AttributeType.STRING },
        billing: dynamodb.Billing.onDemand(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
        ...('ttlAttribute' in spec && spec.ttlAttribute ? { timeToLiveAttribute: spec.ttlAttribute } : {}),
        ...('stream' in spec && spec.stream ? { dynamoStream: dynamodb.StreamViewType.NEW_IMAGE } : {}),
        globalSecondaryIndexes: spec.indexes.map((i) => ({
          indexName: i.name,
          partitionKey: { name: i.partitionKey, type: dynamodb.AttributeType.STRING },
          sortKey: { name: i.sortKey, type: dynamodb.AttributeType.STRING },
        })),
      });
      return [name, table] as const;
    });
    this.byName = Object.fromEntries(entries) as Record<TableName, dynamodb.TableV2>;
  }

  /** The environment every function reads its table names from. */
  environment(): Record<string, string> {
    const t = this.byName;
    return {
      TICKETS_TABLE: t.tickets.tableName,
      DIRECTORY_TABLE: t.directory.tableName,
      INCIDENTS_TABLE: t.incidents.tableName,
      REPORTS_TABLE: t.reports.tableName,
      INBOUND_TABLE: t.inbound.tableName,
      INTEGRATIONS_TABLE: t.integrations.tableName,
    };
  }
}
