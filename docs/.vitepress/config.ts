import { defineConfig } from 'vitepress';
import { findBrokenAnchors } from './check-anchors.js';

export default defineConfig({
  title: 'nestjs-realtime',
  description: 'The production realtime layer for NestJS',
  cleanUrls: true,
  buildEnd({ outDir }) {
    const broken = findBrokenAnchors(outDir);
    if (broken.length > 0) {
      const list = broken.map(({ page, href }) => `  ${page} → ${href}`).join('\n');
      throw new Error(`${broken.length} link(s) point to an anchor their page does not have:\n${list}`);
    }
  },
  locales: {
    root: {
      label: 'English',
      lang: 'en',
      themeConfig: {
        nav: [{ text: 'Guide', link: '/guide/getting-started' }],
        sidebar: [
          {
            text: 'Guide',
            items: [
              { text: 'Getting started', link: '/guide/getting-started' },
              { text: "Migrating from Nest's recipes", link: '/guide/migration' },
              { text: 'Configuration', link: '/guide/configuration' },
              { text: 'Authentication', link: '/guide/authentication' },
              { text: 'Errors', link: '/guide/errors' },
              { text: 'Rooms & presence', link: '/guide/presence' },
              { text: 'Scaling with Redis', link: '/guide/scaling' },
              { text: 'Streaming & binary', link: '/guide/streaming' },
              { text: 'Native WebSocket', link: '/guide/native-ws' },
              { text: 'Client', link: '/guide/client' },
              { text: 'Testing', link: '/guide/testing' },
              { text: 'Operating in production', link: '/guide/production' },
              { text: 'Observability', link: '/guide/observability' },
              { text: 'Deployment', link: '/guide/deployment' },
              { text: 'Security', link: '/guide/security' },
              { text: 'Performance', link: '/guide/performance' },
              { text: 'Recipes', link: '/guide/recipes' },
              { text: 'API reference', link: '/guide/api' },
              { text: 'Events', link: '/guide/events' },
              { text: 'Troubleshooting', link: '/guide/troubleshooting' },
              { text: 'Architecture', link: '/guide/architecture' },
            ],
          },
        ],
      },
    },
    'zh-CN': {
      label: '简体中文',
      lang: 'zh-CN',
      link: '/zh-CN/',
      themeConfig: {
        nav: [{ text: '指南', link: '/zh-CN/guide/getting-started' }],
        sidebar: [
          {
            text: '指南',
            items: [
              { text: '快速开始', link: '/zh-CN/guide/getting-started' },
              { text: '从 Nest 官方示例迁移', link: '/zh-CN/guide/migration' },
              { text: '配置', link: '/zh-CN/guide/configuration' },
              { text: '认证', link: '/zh-CN/guide/authentication' },
              { text: '错误', link: '/zh-CN/guide/errors' },
              { text: '房间与在线状态', link: '/zh-CN/guide/presence' },
              { text: '使用 Redis 扩展', link: '/zh-CN/guide/scaling' },
              { text: '流式与二进制', link: '/zh-CN/guide/streaming' },
              { text: '原生 WebSocket', link: '/zh-CN/guide/native-ws' },
              { text: '客户端', link: '/zh-CN/guide/client' },
              { text: '测试', link: '/zh-CN/guide/testing' },
              { text: '生产环境运维', link: '/zh-CN/guide/production' },
              { text: '可观测性', link: '/zh-CN/guide/observability' },
              { text: '部署', link: '/zh-CN/guide/deployment' },
              { text: '安全', link: '/zh-CN/guide/security' },
              { text: '性能', link: '/zh-CN/guide/performance' },
              { text: '实践示例', link: '/zh-CN/guide/recipes' },
              { text: 'API 参考', link: '/zh-CN/guide/api' },
              { text: '事件', link: '/zh-CN/guide/events' },
              { text: '故障排查', link: '/zh-CN/guide/troubleshooting' },
              { text: '架构', link: '/zh-CN/guide/architecture' },
            ],
          },
        ],
      },
    },
  },
});
