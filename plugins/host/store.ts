// What an administrator decided about each plugin: enabled or not, and its settings (kept as JSON
// text so that any key a settings schema allows can be stored). One small document per plugin,
// read and written by _id.
import mongoose, { Schema, type Connection } from 'mongoose';

const opts: mongoose.SchemaOptions<any> = { versionKey: false, minimize: false, strict: false };
const state = new Schema<any>({ _id: String, enabled: Boolean, settings: String, updatedAt: Date, updatedBy: String }, opts);

export interface PluginState { enabled: boolean; settings: Record<string, unknown> | null }

export class PluginStore {
  private readonly model: mongoose.Model<any>;
  constructor(connection: Connection) {
    this.model = (connection.models.plugin_states as mongoose.Model<any>) ?? connection.model('plugin_states', state, 'plugin_states');
  }

  async get(id: string): Promise<PluginState | null> {
    const doc = await this.model.findById(id).lean<any>();
    if (!doc) return null;
    return { enabled: doc.enabled !== false, settings: typeof doc.settings === 'string' ? JSON.parse(doc.settings) : null };
  }

  async setEnabled(id: string, enabled: boolean, by: string) {
    await this.model.updateOne({ _id: id }, { $set: { enabled, updatedAt: new Date(), updatedBy: by } }, { upsert: true });
  }

  async setSettings(id: string, settings: Record<string, unknown>, by: string) {
    await this.model.updateOne({ _id: id }, { $set: { settings: JSON.stringify(settings), updatedAt: new Date(), updatedBy: by } }, { upsert: true });
  }
}
