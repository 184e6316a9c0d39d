// People's notifications in the directory table: a partition per person (`NOTE#<staff>`),
// sorted by time, each kept NOTIFICATION_DAYS (TTL) and listed newest first, at most
// MAX_NOTIFICATIONS; written once per id (a retried publish notifies once).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { MAX_NOTIFICATIONS, NOTIFICATION_DAYS } from '../../../domain/notifications';
import type { NotificationRecord, NotificationStore } from '../../ports';

const pk = (staffId: string) => `NOTE#${staffId}`;
const sk = (n: Pick<NotificationRecord, 'at' | 'id'>) => `${n.at}#${n.id}`;

export class DynamoNotifications implements NotificationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async add(n: NotificationRecord): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          // The id is the item's own key too: the same entry for the same person is one item.
          Item: {
            pk: pk(n.staffId),
            sk: `ID#${n.id}`,
            ...n,
            expiresAtEpoch: Math.floor(Date.parse(n.at) / 1000) + NOTIFICATION_DAYS * 86_400,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: pk(n.staffId),
            sk: sk(n),
            ...n,
            expiresAtEpoch: Math.floor(Date.parse(n.at) / 1000) + NOTIFICATION_DAYS * 86_400,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async list(staffId: string, limit: number): Promise<NotificationRecord[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk < :ids',
        ExpressionAttributeValues: { ':pk': pk(staffId), ':ids': 'ID#' },
        ScanIndexForward: false,
        Limit: Math.min(limit, MAX_NOTIFICATIONS),
      }),
    );
    return Items.map(({ pk: _pk, sk: _sk, expiresAtEpoch: _ttl, ...n }) => n as NotificationRecord);
  }

  async markRead(staffId: string, ids: string[] | null, at: string): Promise<number> {
    const unread = (await this.list(staffId, MAX_NOTIFICATIONS)).filter(
      (n) => n.readAt === null && (ids === null || ids.includes(n.id)),
    );
    await Promise.all(
      unread.map((n) =>
        this.db
          .send(
            new UpdateCommand({
              TableName: this.table,
              Key: { pk: pk(staffId), sk: sk(n) },
              UpdateExpression: 'SET readAt = :at',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':at': at },
            }),
          )
          .catch((error) => {
            if (!(error instanceof ConditionalCheckFailedException)) throw error; // expired meanwhile
          }),
      ),
    );
    return unread.length;
  }
}
