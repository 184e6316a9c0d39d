import { describe, expect, it } from 'vitest';
import { checkJava, JavaMissing, startDynamoDbLocal } from '../../infra/local/dynamodb-local';

describe('DynamoDB Local', () => {
  it('says Java is needed, and how to get it, when java is not on the PATH', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(() => checkJava()).toThrow(JavaMissing);
      expect(() => checkJava()).toThrow(/needs Java 17 or newer.*apt-get install openjdk-17-jre-headless/);
      await expect(startDynamoDbLocal()).rejects.toThrow(JavaMissing);
    } finally {
      process.env.PATH = path;
    }
  });
});
