// The staff directory in the directory table: one partition of people and one of teams (each
// listed whole: both are capped), a claim per address (one person per address, checked against
// the customers' contact claims in the same transaction) and per team name, and counters that
// hold them to their caps.
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Duplicate, RuleViolation, VersionConflict } from '../../../domain/errors';
import { MAX_STAFF, MAX_TEAMS } from '../../../domain/staff';
import type { StaffDirectory, StaffRecord, TeamRecord } from '../../ports';
import { cancellationReasons, countUp, putAtVersion, putNew, queryAll, withoutKeys } from './dynamodb';

const STAFF_PK = 'STAFF';
const TEAMS_PK = 'TEAM';
const staffKey = (id: string) => ({ pk: STAFF_PK, sk: id });
const emailKey = (email: string) => ({ pk: `STAFFEMAIL#${email.toLowerCase()}`, sk: 'STAFFEMAIL' });
const contactKey = (email: string) => ({ pk: `EMAIL#${email.toLowerCase()}`, sk: 'CONTACT' });
const teamNameKey = (name: string) => ({ pk: `TEAMNAME#${name.toLowerCase()}`, sk: 'TEAMNAME' });

export class DynamoStaff implements StaffDirectory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async createStaff(staff: StaffRecord): Promise<void> {
    await this.db
      .send(
        new TransactWriteCommand({
          TransactItems: [
            putNew(this.table, { ...staffKey(staff.id), ...staff }),
            putNew(this.table, { ...emailKey(staff.email), staffId: staff.id }),
            {
              ConditionCheck: {
                TableName: this.table,
                Key: contactKey(staff.email),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            countUp(this.table, 'STAFFCOUNT', MAX_STAFF),
          ],
        }),
      )
      .catch((error) => {
        const reasons = cancellationReasons(error);
        if (reasons?.[1] === 'ConditionalCheckFailed')
          throw new Duplicate('staff member', 'email', staff.email);
        if (reasons?.[2] === 'ConditionalCheckFailed')
          throw new RuleViolation(
            'customer-contact',
            `${staff.email} is a customer's contact; a contact cannot also be staff`,
            'email',
          );
        if (reasons?.[3] === 'ConditionalCheckFailed')
          throw new RuleViolation(
            'too-many-staff',
            `the directory keeps at most ${MAX_STAFF} people`,
            'email',
          );
        throw error;
      });
  }

  async getStaff(id: string): Promise<StaffRecord | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: staffKey(id), ConsistentRead: true }),
    );
    return Item ? withoutKeys<StaffRecord>(Item) : null;
  }

  async staffByEmail(email: string): Promise<StaffRecord | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: emailKey(email), ConsistentRead: true }),
    );
    return Item ? this.getStaff(Item.staffId as string) : null;
  }

  async updateStaff(staff: StaffRecord, expectedVersion: number): Promise<void> {
    await this.db
      .send(
        new TransactWriteCommand({
          TransactItems: [putAtVersion(this.table, { ...staffKey(staff.id), ...staff }, expectedVersion)],
        }),
      )
      .catch((error) => {
        if (cancellationReasons(error)) throw new VersionConflict('staff member', staff.id, expectedVersion);
        throw error;
      });
  }

  async listStaff(): Promise<StaffRecord[]> {
    const items = await queryAll(this.db, this.table, STAFF_PK, true);
    return items.map((i) => withoutKeys<StaffRecord>(i)).sort((a, b) => a.name.localeCompare(b.name));
  }

  async createTeam(team: TeamRecord): Promise<void> {
    await this.db
      .send(
        new TransactWriteCommand({
          TransactItems: [
            putNew(this.table, { pk: TEAMS_PK, sk: team.id, ...team }),
            putNew(this.table, { ...teamNameKey(team.name), teamId: team.id }),
            countUp(this.table, 'TEAMCOUNT', MAX_TEAMS),
          ],
        }),
      )
      .catch((error) => {
        const reasons = cancellationReasons(error);
        if (reasons?.[1] === 'ConditionalCheckFailed') throw new Duplicate('team', 'name', team.name);
        if (reasons?.[2] === 'ConditionalCheckFailed')
          throw new RuleViolation('too-many-teams', `the directory keeps at most ${MAX_TEAMS} teams`, 'name');
        throw error;
      });
  }

  async listTeams(): Promise<TeamRecord[]> {
    const items = await queryAll(this.db, this.table, TEAMS_PK, true);
    return items.map((i) => withoutKeys<TeamRecord>(i)).sort((a, b) => a.name.localeCompare(b.name));
  }
}
