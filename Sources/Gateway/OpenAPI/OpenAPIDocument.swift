/// The OpenAPI 3.1 document of the gateway's API, kept by hand beside the routes (a test checks that every
/// registered route is described here and that the document is valid).
enum OpenAPIDocument {
    static let json = ##"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "Pansible gateway",
            "version": "1.0.0",
            "description": "Inventories, playbooks, apps, credentials and jobs of Pansible (Ansible in parallel). Every route but the operations routes, this document and the upload page needs Authorization: Bearer <token>. Errors are always {\"error\": {\"code\", \"message\", \"field\"?, \"line\"?, \"column\"?}}."
          },
          "servers": [
            {
              "url": "http://127.0.0.1:5757"
            }
          ],
          "security": [
            {
              "bearer": []
            }
          ],
          "paths": {
            "/healthz": {
              "get": {
                "operationId": "healthz",
                "summary": "The process runs.",
                "tags": [
                  "operations"
                ],
                "responses": {
                  "200": {
                    "description": "OK",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/readyz": {
              "get": {
                "operationId": "readyz",
                "summary": "Every dependency answers.",
                "tags": [
                  "operations"
                ],
                "responses": {
                  "200": {
                    "description": "Ready",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object"
                        }
                      }
                    }
                  },
                  "503": {
                    "description": "Not ready",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/metrics": {
              "get": {
                "operationId": "metrics",
                "summary": "Prometheus metrics.",
                "tags": [
                  "operations"
                ],
                "responses": {
                  "200": {
                    "description": "Metrics",
                    "content": {
                      "text/plain": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/api/v1/openapi.json": {
              "get": {
                "operationId": "openapi",
                "summary": "This document.",
                "tags": [
                  "operations"
                ],
                "responses": {
                  "200": {
                    "description": "OpenAPI document",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/": {
              "get": {
                "operationId": "uploadPage",
                "summary": "The inventory upload page.",
                "tags": [
                  "ui"
                ],
                "responses": {
                  "200": {
                    "description": "HTML form",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/ui/inventory": {
              "get": {
                "operationId": "uploadForm",
                "summary": "The inventory upload page.",
                "tags": [
                  "ui"
                ],
                "responses": {
                  "200": {
                    "description": "HTML form",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                },
                "security": []
              },
              "post": {
                "operationId": "uploadInventory",
                "summary": "Upload an inventory from the form (token in the form's token field).",
                "tags": [
                  "ui"
                ],
                "responses": {
                  "201": {
                    "description": "Stored",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Refused",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "401": {
                    "description": "No valid token",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "413": {
                    "description": "Too large",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                },
                "security": [],
                "requestBody": {
                  "required": true,
                  "content": {
                    "multipart/form-data": {
                      "schema": {
                        "type": "object",
                        "properties": {
                          "token": {
                            "type": "string"
                          },
                          "name": {
                            "type": "string"
                          },
                          "env": {
                            "type": "string"
                          },
                          "version": {
                            "type": "string"
                          },
                          "hosts": {
                            "type": "string"
                          },
                          "hosts_file": {
                            "type": "string",
                            "contentMediaType": "application/octet-stream"
                          },
                          "vars": {
                            "type": "string"
                          },
                          "vars_file": {
                            "type": "string",
                            "contentMediaType": "application/octet-stream"
                          }
                        }
                      }
                    }
                  }
                }
              }
            },
            "/api/v1/tokens": {
              "post": {
                "operationId": "createToken",
                "summary": "Create an API token (admin token only); the token is shown once.",
                "tags": [
                  "tokens"
                ],
                "responses": {
                  "201": {
                    "description": "Created",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Token"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "413": {
                    "$ref": "#/components/responses/TooLarge"
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/TokenCreate"
                      }
                    }
                  }
                }
              },
              "get": {
                "operationId": "listTokens",
                "summary": "List API tokens (never their secrets).",
                "tags": [
                  "tokens"
                ],
                "responses": {
                  "200": {
                    "description": "Tokens",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "tokens": {
                              "type": "array",
                              "items": {
                                "$ref": "#/components/schemas/Token"
                              }
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  }
                }
              }
            },
            "/api/v1/tokens/{id}": {
              "delete": {
                "operationId": "revokeToken",
                "summary": "Revoke an API token.",
                "tags": [
                  "tokens"
                ],
                "responses": {
                  "204": {
                    "description": "Revoked"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/Forbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    },
                    "description": "Numeric id."
                  }
                ]
              }
            },
            "/api/v1/inventory": {
              "post": {
                "operationId": "createInventory",
                "summary": "Create an inventory.",
                "tags": [
                  "inventories"
                ],
                "responses": {
                  "201": {
                    "description": "Created",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Inventory"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "413": {
                    "$ref": "#/components/responses/TooLarge"
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/InventoryCreate"
                      }
                    }
                  }
                }
              },
              "get": {
                "operationId": "listInventories",
                "summary": "List inventories (without their text).",
                "tags": [
                  "inventories"
                ],
                "responses": {
                  "200": {
                    "description": "Inventories",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "inventories": {
                              "type": "array",
                              "items": {
                                "$ref": "#/components/schemas/Inventory"
                              }
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  }
                },
                "parameters": [
                  {
                    "name": "env",
                    "in": "query",
                    "schema": {
                      "type": "string"
                    }
                  }
                ]
              }
            },
            "/api/v1/inventory/{id}": {
              "get": {
                "operationId": "getInventory",
                "summary": "An inventory, its current or a given version.",
                "tags": [
                  "inventories"
                ],
                "responses": {
                  "200": {
                    "description": "Inventory",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Inventory"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    },
                    "description": "Numeric id."
                  },
                  {
                    "name": "version",
                    "in": "query",
                    "schema": {
                      "type": "string"
                    }
                  }
                ]
              },
              "put": {
                "operationId": "updateInventory",
                "summary": "Store a new version.",
                "tags": [
                  "inventories"
                ],
                "responses": {
                  "200": {
                    "description": "Updated",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Inventory"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "409": {
                    "$ref": "#/components/responses/Conflict"
                  },
                  "413": {
                    "$ref": "#/components/responses/TooLarge"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    },
                    "description": "Numeric id."
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/InventoryUpdate"
                      }
                    }
                  }
                }
              },
              "delete": {
                "operationId": "deleteInventory",
                "summary": "Delete (409 while a pending or running job uses it).",
                "tags": [
                  "inventories"
                ],
                "responses": {
                  "204": {
                    "description": "Deleted"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "409": {
                    "$ref": "#/components/responses/Conflict"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    },
                    "description": "Numeric id."
                  }
                ]
              }
            },
            "/api/v1/inventory/{id}/versions": {
              "get": {
                "operationId": "inventoryVersions",
                "summary": "Every stored version.",
                "tags": [
                  "inventories"
                ],
                "responses": {
                  "200": {
                    "description": "Versions",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "inventory_id": {
                              "type": "integer"
                            },
                            "versions": {
                              "type": "array",
                              "items": {
                                "type": "object",
                                "properties": {
                                  "version": {
                                    "type": "string"
                                  },
                                  "created_at": {
                                    "type": "string",
                                    "format": "date-time"
                                  }
                                }
                              }
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    },
                    "description": "Numeric id."
                  }
                ]
              }
            },
            "/api/v1/inventory/{id}/ansible": {
              "get": {
                "operationId": "inventoryAnsible",
                "summary": "The inventory as ansible-inventory --list prints it.",
                "tags": [
                  "inventories"
                ],
                "responses": {
                  "200": {
                    "description": "Dynamic inventory JSON",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    },
                    "description": "Numeric id."
                  }
                ]
              }
            },
            "/api/v1/playbook": {
              "post": {
                "operationId": "createPlaybook",
                "summary": "Create a playbook.",
                "tags": [
                  "playbooks"
                ],
                "responses": {
                  "201": {
                    "description": "Created",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Playbook"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "413": {
                    "$ref": "#/components/responses/TooLarge"
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/PlaybookCreate"
                      }
                    }
                  }
                }
              },
              "get": {
                "operationId": "listPlaybooks",
                "summary": "List playbooks.",
                "tags": [
                  "playbooks"
                ],
                "responses": {
                  "200": {
                    "description": "Playbooks",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "playbooks": {
                              "type": "array",
                              "items": {
                                "$ref": "#/components/schemas/Playbook"
                              }
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  }
                }
              }
            },
            "/api/v1/playbook/{id}": {
              "get": {
                "operationId": "getPlaybook",
                "summary": "A playbook.",
                "tags": [
                  "playbooks"
                ],
                "responses": {
                  "200": {
                    "description": "Playbook",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Playbook"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    },
                    "description": "Numeric id."
                  }
                ]
              },
              "delete": {
                "operationId": "deletePlaybook",
                "summary": "Delete (409 while a pending or running job uses it).",
                "tags": [
                  "playbooks"
                ],
                "responses": {
                  "204": {
                    "description": "Deleted"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "409": {
                    "$ref": "#/components/responses/Conflict"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    },
                    "description": "Numeric id."
                  }
                ]
              }
            },
            "/api/v1/app": {
              "post": {
                "operationId": "createApp",
                "summary": "Create an app.",
                "tags": [
                  "apps"
                ],
                "responses": {
                  "201": {
                    "description": "Created",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/App"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "409": {
                    "$ref": "#/components/responses/Conflict"
                  },
                  "413": {
                    "$ref": "#/components/responses/TooLarge"
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/AppCreate"
                      }
                    }
                  }
                }
              },
              "get": {
                "operationId": "listApps",
                "summary": "List apps.",
                "tags": [
                  "apps"
                ],
                "responses": {
                  "200": {
                    "description": "Apps",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "apps": {
                              "type": "array",
                              "items": {
                                "$ref": "#/components/schemas/App"
                              }
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  }
                }
              }
            },
            "/api/v1/app/playbook": {
              "post": {
                "operationId": "linkAppPlaybook",
                "summary": "Add a playbook to an app (201 new, 200 existing).",
                "tags": [
                  "apps"
                ],
                "responses": {
                  "201": {
                    "description": "Linked",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/AppPlaybookLink"
                        }
                      }
                    }
                  },
                  "200": {
                    "description": "Already linked",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/AppPlaybookLink"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "413": {
                    "$ref": "#/components/responses/TooLarge"
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/AppPlaybookLink"
                      }
                    }
                  }
                }
              }
            },
            "/api/v1/app/inventory": {
              "post": {
                "operationId": "linkAppInventory",
                "summary": "Add an inventory to an app (201 new, 200 existing).",
                "tags": [
                  "apps"
                ],
                "responses": {
                  "201": {
                    "description": "Linked",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/AppInventoryLink"
                        }
                      }
                    }
                  },
                  "200": {
                    "description": "Already linked",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/AppInventoryLink"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "413": {
                    "$ref": "#/components/responses/TooLarge"
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/AppInventoryLink"
                      }
                    }
                  }
                }
              }
            },
            "/api/v1/app/{id}": {
              "get": {
                "operationId": "getApp",
                "summary": "An app with its playbooks and inventories.",
                "tags": [
                  "apps"
                ],
                "responses": {
                  "200": {
                    "description": "App",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/App"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    },
                    "description": "Numeric id."
                  }
                ]
              },
              "delete": {
                "operationId": "deleteApp",
                "summary": "Delete an app (409 while one of its jobs is pending or running).",
                "tags": [
                  "apps"
                ],
                "responses": {
                  "204": {
                    "description": "Deleted"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "409": {
                    "$ref": "#/components/responses/Conflict"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    },
                    "description": "Numeric id."
                  }
                ]
              }
            },
            "/api/v1/app/{id}/deploy": {
              "post": {
                "operationId": "deployApp",
                "summary": "Launch a job per playbook of the app against its inventory for env.",
                "tags": [
                  "apps"
                ],
                "responses": {
                  "201": {
                    "description": "Launched",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "app_id": {
                              "type": "integer"
                            },
                            "env": {
                              "type": "string"
                            },
                            "inventory_id": {
                              "type": "integer"
                            },
                            "jobs": {
                              "type": "array",
                              "items": {
                                "$ref": "#/components/schemas/LaunchedJob"
                              }
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "409": {
                    "$ref": "#/components/responses/Conflict"
                  },
                  "413": {
                    "$ref": "#/components/responses/TooLarge"
                  },
                  "422": {
                    "$ref": "#/components/responses/Unprocessable"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    },
                    "description": "Numeric id."
                  },
                  {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "schema": {
                      "type": "string",
                      "minLength": 1,
                      "maxLength": 255
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/Deploy"
                      }
                    }
                  }
                }
              }
            },
            "/api/v1/credential": {
              "post": {
                "operationId": "createCredential",
                "summary": "Store a credential (write-only, sealed).",
                "tags": [
                  "credentials"
                ],
                "responses": {
                  "201": {
                    "description": "Created",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Credential"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "409": {
                    "$ref": "#/components/responses/Conflict"
                  },
                  "413": {
                    "$ref": "#/components/responses/TooLarge"
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/CredentialCreate"
                      }
                    }
                  }
                }
              },
              "get": {
                "operationId": "listCredentials",
                "summary": "List credentials (metadata only).",
                "tags": [
                  "credentials"
                ],
                "responses": {
                  "200": {
                    "description": "Credentials",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "credentials": {
                              "type": "array",
                              "items": {
                                "$ref": "#/components/schemas/Credential"
                              }
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  }
                }
              }
            },
            "/api/v1/credential/{id}": {
              "get": {
                "operationId": "getCredential",
                "summary": "A credential's metadata.",
                "tags": [
                  "credentials"
                ],
                "responses": {
                  "200": {
                    "description": "Credential",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Credential"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    },
                    "description": "Numeric id."
                  }
                ]
              },
              "delete": {
                "operationId": "deleteCredential",
                "summary": "Delete a credential.",
                "tags": [
                  "credentials"
                ],
                "responses": {
                  "204": {
                    "description": "Deleted"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  }
                },
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    },
                    "description": "Numeric id."
                  }
                ]
              }
            },
            "/api/v1/job": {
              "post": {
                "operationId": "launchJob",
                "summary": "Launch a job. Answered 201 only once the job and its message are stored.",
                "tags": [
                  "jobs"
                ],
                "responses": {
                  "201": {
                    "description": "Accepted (or the first job of this Idempotency-Key)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/LaunchedJob"
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "409": {
                    "$ref": "#/components/responses/Conflict"
                  },
                  "413": {
                    "$ref": "#/components/responses/TooLarge"
                  },
                  "422": {
                    "$ref": "#/components/responses/Unprocessable"
                  }
                },
                "parameters": [
                  {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "schema": {
                      "type": "string",
                      "minLength": 1,
                      "maxLength": 255
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/JobCreate"
                      }
                    }
                  }
                }
              }
            },
            "/api/v1/jobs": {
              "get": {
                "operationId": "listJobs",
                "summary": "Jobs, newest first.",
                "tags": [
                  "jobs"
                ],
                "responses": {
                  "200": {
                    "description": "A page of jobs",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "jobs": {
                              "type": "array",
                              "items": {
                                "$ref": "#/components/schemas/Job"
                              }
                            },
                            "next": {
                              "type": [
                                "string",
                                "null"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  }
                },
                "parameters": [
                  {
                    "name": "limit",
                    "in": "query",
                    "schema": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 500
                    }
                  },
                  {
                    "name": "cursor",
                    "in": "query",
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    }
                  },
                  {
                    "name": "status",
                    "in": "query",
                    "schema": {
                      "$ref": "#/components/schemas/JobStatus"
                    }
                  },
                  {
                    "name": "env",
                    "in": "query",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "app",
                    "in": "query",
                    "schema": {
                      "type": "integer",
                      "minimum": 1
                    }
                  }
                ]
              }
            },
            "/api/v1/job/{uuid}": {
              "get": {
                "operationId": "getJob",
                "summary": "A job: status, timestamps, shards, host counts.",
                "tags": [
                  "jobs"
                ],
                "responses": {
                  "200": {
                    "description": "Job",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Job"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  }
                },
                "parameters": [
                  {
                    "name": "uuid",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "string",
                      "format": "uuid"
                    },
                    "description": "The job's uuid."
                  }
                ]
              }
            },
            "/api/v1/job/{uuid}/cancel": {
              "post": {
                "operationId": "cancelJob",
                "summary": "Cancel a job in any state that is not final.",
                "tags": [
                  "jobs"
                ],
                "responses": {
                  "202": {
                    "description": "Cancel accepted; the job as it is now",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Job"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  },
                  "409": {
                    "$ref": "#/components/responses/Conflict"
                  }
                },
                "parameters": [
                  {
                    "name": "uuid",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "string",
                      "format": "uuid"
                    },
                    "description": "The job's uuid."
                  }
                ]
              }
            },
            "/api/v1/job/result/{uuid}": {
              "get": {
                "operationId": "jobResult",
                "summary": "Per-host results, keyed by host (the seed's shape).",
                "tags": [
                  "results"
                ],
                "responses": {
                  "200": {
                    "description": "Results",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "additionalProperties": {
                            "$ref": "#/components/schemas/HostResult"
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  }
                },
                "parameters": [
                  {
                    "name": "uuid",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "string",
                      "format": "uuid"
                    },
                    "description": "The job's uuid."
                  }
                ]
              }
            },
            "/api/v1/job/{uuid}/events": {
              "get": {
                "operationId": "jobEvents",
                "summary": "Stored events in arrival order.",
                "tags": [
                  "results"
                ],
                "responses": {
                  "200": {
                    "description": "A page of events",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "events": {
                              "type": "array",
                              "items": {
                                "type": "object",
                                "description": "The stored event with seq, shard_index, run_id and attempt.",
                                "properties": {
                                  "seq": {
                                    "type": "integer"
                                  },
                                  "type": {
                                    "type": "string"
                                  },
                                  "id": {
                                    "type": "string"
                                  }
                                }
                              }
                            },
                            "next": {
                              "type": [
                                "string",
                                "null"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/BadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  }
                },
                "parameters": [
                  {
                    "name": "uuid",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "string",
                      "format": "uuid"
                    },
                    "description": "The job's uuid."
                  },
                  {
                    "name": "after",
                    "in": "query",
                    "schema": {
                      "type": "integer",
                      "minimum": 0
                    }
                  },
                  {
                    "name": "limit",
                    "in": "query",
                    "schema": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 1000
                    }
                  },
                  {
                    "name": "host",
                    "in": "query",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "type",
                    "in": "query",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "failed",
                    "in": "query",
                    "schema": {
                      "type": "boolean"
                    }
                  },
                  {
                    "name": "shard",
                    "in": "query",
                    "schema": {
                      "type": "integer",
                      "minimum": 0
                    }
                  }
                ]
              }
            },
            "/api/v1/job/{uuid}/stdout": {
              "get": {
                "operationId": "jobStdout",
                "summary": "The human-readable log, shard by shard.",
                "tags": [
                  "results"
                ],
                "responses": {
                  "200": {
                    "description": "Log",
                    "content": {
                      "text/plain": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Unauthorized"
                  },
                  "404": {
                    "$ref": "#/components/responses/NotFound"
                  }
                },
                "parameters": [
                  {
                    "name": "uuid",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "string",
                      "format": "uuid"
                    },
                    "description": "The job's uuid."
                  }
                ]
              }
            }
          },
          "components": {
            "securitySchemes": {
              "bearer": {
                "type": "http",
                "scheme": "bearer"
              }
            },
            "schemas": {
              "Error": {
                "type": "object",
                "required": [
                  "error"
                ],
                "properties": {
                  "error": {
                    "type": "object",
                    "required": [
                      "code",
                      "message"
                    ],
                    "properties": {
                      "code": {
                        "type": "string",
                        "description": "Stable code: invalid_json, missing_field, wrong_type, invalid_field, yaml_syntax, invalid_inventory, not_found, route_not_found, method_not_allowed, unauthorized, forbidden, body_too_large, already_exists, in_use, version_exists, env_mismatch, idempotency_key_reused, job_finished, no_inventory, ambiguous_inventory, no_playbook, invalid_parameter, invalid_header, internal."
                      },
                      "message": {
                        "type": "string"
                      },
                      "field": {
                        "type": "string"
                      },
                      "line": {
                        "type": "integer"
                      },
                      "column": {
                        "type": "integer"
                      }
                    }
                  }
                }
              },
              "InventoryCreate": {
                "type": "object",
                "required": [
                  "name",
                  "env",
                  "version",
                  "hosts"
                ],
                "properties": {
                  "name": {
                    "type": "string",
                    "minLength": 1
                  },
                  "env": {
                    "type": "string",
                    "minLength": 1
                  },
                  "version": {
                    "type": "string",
                    "minLength": 1
                  },
                  "hosts": {
                    "type": "string",
                    "description": "Ansible YAML inventory text."
                  },
                  "vars": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "description": "YAML: group name to variables (group_vars)."
                  }
                }
              },
              "InventoryUpdate": {
                "type": "object",
                "required": [
                  "version",
                  "hosts"
                ],
                "properties": {
                  "version": {
                    "type": "string",
                    "minLength": 1
                  },
                  "hosts": {
                    "type": "string"
                  },
                  "vars": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "name": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "env": {
                    "type": [
                      "string",
                      "null"
                    ]
                  }
                }
              },
              "Inventory": {
                "type": "object",
                "required": [
                  "id",
                  "name",
                  "env",
                  "version",
                  "host_count",
                  "created_at",
                  "updated_at"
                ],
                "properties": {
                  "id": {
                    "type": "integer"
                  },
                  "name": {
                    "type": "string"
                  },
                  "env": {
                    "type": "string"
                  },
                  "version": {
                    "type": "string"
                  },
                  "hosts": {
                    "type": "string"
                  },
                  "vars": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "host_count": {
                    "type": "integer"
                  },
                  "created_at": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "updated_at": {
                    "type": "string",
                    "format": "date-time"
                  }
                }
              },
              "PlaybookCreate": {
                "type": "object",
                "required": [
                  "name",
                  "git_repo",
                  "entry"
                ],
                "properties": {
                  "name": {
                    "type": "string",
                    "minLength": 1
                  },
                  "git_repo": {
                    "type": "string",
                    "description": "ssh (user@host:path, ssh://), https://, git://, file:// or an absolute local path."
                  },
                  "entry": {
                    "type": "string",
                    "description": "Relative path of the playbook in the repository; no '..', not absolute."
                  },
                  "ref": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "description": "Branch, tag or commit; default the repository's HEAD."
                  },
                  "credential_id": {
                    "type": [
                      "integer",
                      "null"
                    ],
                    "minimum": 1
                  }
                }
              },
              "Playbook": {
                "type": "object",
                "required": [
                  "id",
                  "name",
                  "git_repo",
                  "entry"
                ],
                "properties": {
                  "id": {
                    "type": "integer"
                  },
                  "name": {
                    "type": "string"
                  },
                  "git_repo": {
                    "type": "string"
                  },
                  "entry": {
                    "type": "string"
                  },
                  "ref": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "credential_id": {
                    "type": [
                      "integer",
                      "null"
                    ]
                  },
                  "created_at": {
                    "type": "string",
                    "format": "date-time"
                  }
                }
              },
              "AppCreate": {
                "type": "object",
                "required": [
                  "appid"
                ],
                "properties": {
                  "appid": {
                    "type": "string",
                    "minLength": 1
                  }
                }
              },
              "App": {
                "type": "object",
                "required": [
                  "id",
                  "appid"
                ],
                "properties": {
                  "id": {
                    "type": "integer"
                  },
                  "appid": {
                    "type": "string"
                  },
                  "created_at": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "playbooks": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Playbook"
                    }
                  },
                  "inventories": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Inventory"
                    }
                  }
                }
              },
              "AppPlaybookLink": {
                "type": "object",
                "required": [
                  "app_id",
                  "playbook_id"
                ],
                "properties": {
                  "app_id": {
                    "type": "integer",
                    "minimum": 1
                  },
                  "playbook_id": {
                    "type": "integer",
                    "minimum": 1
                  }
                }
              },
              "AppInventoryLink": {
                "type": "object",
                "required": [
                  "app_id",
                  "inventory_id"
                ],
                "properties": {
                  "app_id": {
                    "type": "integer",
                    "minimum": 1
                  },
                  "inventory_id": {
                    "type": "integer",
                    "minimum": 1
                  }
                }
              },
              "CredentialCreate": {
                "type": "object",
                "required": [
                  "name"
                ],
                "description": "At least one of ssh_private_key, vault_password, username.",
                "properties": {
                  "name": {
                    "type": "string",
                    "minLength": 1
                  },
                  "ssh_private_key": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "vault_password": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "username": {
                    "type": [
                      "string",
                      "null"
                    ]
                  }
                }
              },
              "Credential": {
                "type": "object",
                "required": [
                  "id",
                  "name",
                  "has_ssh_key",
                  "has_vault_password"
                ],
                "properties": {
                  "id": {
                    "type": "integer"
                  },
                  "name": {
                    "type": "string"
                  },
                  "has_ssh_key": {
                    "type": "boolean"
                  },
                  "has_vault_password": {
                    "type": "boolean"
                  },
                  "username": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "created_at": {
                    "type": "string",
                    "format": "date-time"
                  }
                }
              },
              "TokenCreate": {
                "type": "object",
                "required": [
                  "name"
                ],
                "properties": {
                  "name": {
                    "type": "string",
                    "minLength": 1
                  }
                }
              },
              "Token": {
                "type": "object",
                "required": [
                  "id",
                  "name"
                ],
                "properties": {
                  "id": {
                    "type": "integer"
                  },
                  "name": {
                    "type": "string"
                  },
                  "token": {
                    "type": "string",
                    "description": "Only in the answer to its creation."
                  },
                  "created_at": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "last_used_at": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "date-time"
                  },
                  "revoked_at": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "date-time"
                  }
                }
              },
              "NameList": {
                "oneOf": [
                  {
                    "type": "string",
                    "description": "Comma-separated."
                  },
                  {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  }
                ]
              },
              "JobOptions": {
                "type": "object",
                "properties": {
                  "limit": {
                    "type": "string",
                    "description": "Ansible host pattern."
                  },
                  "extra_vars": {
                    "type": "object"
                  },
                  "tags": {
                    "$ref": "#/components/schemas/NameList"
                  },
                  "skip_tags": {
                    "$ref": "#/components/schemas/NameList"
                  },
                  "check": {
                    "type": "boolean"
                  },
                  "diff": {
                    "type": "boolean"
                  },
                  "verbosity": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 6
                  },
                  "forks": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 1000
                  },
                  "shard_size": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 1000000,
                    "description": "Hosts per shard (not with shards)."
                  },
                  "shards": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 100000,
                    "description": "Number of shards (not with shard_size)."
                  },
                  "timeout": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 604800
                  },
                  "deadline": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 2592000,
                    "description": "Seconds from launch within which the whole job ends (default: job_deadline); past it the job ends error."
                  },
                  "pool": {
                    "type": "string",
                    "pattern": "^[A-Za-z0-9_.-]{1,64}$"
                  },
                  "credential_id": {
                    "type": "integer",
                    "minimum": 1
                  },
                  "mitogen": {
                    "type": "boolean",
                    "description": "false runs the job with Ansible's own strategy instead of Mitogen's (used by default where installed)."
                  },
                  "pipelining": {
                    "type": "boolean",
                    "description": "false turns SSH pipelining (on by default) off."
                  }
                }
              },
              "JobCreate": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/JobOptions"
                  },
                  {
                    "type": "object",
                    "required": [
                      "env",
                      "playbook_id",
                      "inventory_id"
                    ],
                    "properties": {
                      "env": {
                        "type": "string",
                        "minLength": 1
                      },
                      "playbook_id": {
                        "type": "integer",
                        "minimum": 1
                      },
                      "inventory_id": {
                        "type": "integer",
                        "minimum": 1
                      }
                    }
                  }
                ]
              },
              "Deploy": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/JobOptions"
                  },
                  {
                    "type": "object",
                    "required": [
                      "env"
                    ],
                    "properties": {
                      "env": {
                        "type": "string",
                        "minLength": 1
                      },
                      "inventory_id": {
                        "type": "integer",
                        "minimum": 1,
                        "description": "Chooses among several inventories of the app for env."
                      }
                    }
                  }
                ]
              },
              "JobStatus": {
                "type": "string",
                "enum": [
                  "pending",
                  "running",
                  "successful",
                  "failed",
                  "error",
                  "canceled"
                ]
              },
              "LaunchedJob": {
                "type": "object",
                "required": [
                  "id",
                  "uuid",
                  "env",
                  "playbook_id",
                  "inventory_id",
                  "status"
                ],
                "properties": {
                  "id": {
                    "type": "integer"
                  },
                  "uuid": {
                    "type": "string",
                    "format": "uuid"
                  },
                  "env": {
                    "type": "string"
                  },
                  "playbook_id": {
                    "type": [
                      "integer",
                      "null"
                    ]
                  },
                  "inventory_id": {
                    "type": [
                      "integer",
                      "null"
                    ]
                  },
                  "status": {
                    "$ref": "#/components/schemas/JobStatus"
                  }
                }
              },
              "Job": {
                "type": "object",
                "required": [
                  "id",
                  "uuid",
                  "env",
                  "status",
                  "created_at"
                ],
                "properties": {
                  "id": {
                    "type": "integer"
                  },
                  "uuid": {
                    "type": "string",
                    "format": "uuid"
                  },
                  "env": {
                    "type": "string"
                  },
                  "playbook_id": {
                    "type": [
                      "integer",
                      "null"
                    ]
                  },
                  "inventory_id": {
                    "type": [
                      "integer",
                      "null"
                    ]
                  },
                  "inventory_version": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "app_id": {
                    "type": [
                      "integer",
                      "null"
                    ]
                  },
                  "credential_id": {
                    "type": [
                      "integer",
                      "null"
                    ]
                  },
                  "options": {
                    "type": "object"
                  },
                  "status": {
                    "$ref": "#/components/schemas/JobStatus"
                  },
                  "status_reason": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "playbook_commit": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "shard_count": {
                    "type": [
                      "integer",
                      "null"
                    ]
                  },
                  "host_count": {
                    "type": [
                      "integer",
                      "null"
                    ]
                  },
                  "cancel_requested_at": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "date-time"
                  },
                  "deadline": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "date-time",
                    "description": "When the job must have ended; past it the collector ends it error."
                  },
                  "dead_letters": {
                    "type": "integer",
                    "description": "Messages and events of the job the collector kept as dead letters."
                  },
                  "created_at": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "started_at": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "date-time"
                  },
                  "finished_at": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "date-time"
                  },
                  "updated_at": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "shards": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "properties": {
                        "index": {
                          "type": "integer"
                        },
                        "host_count": {
                          "type": "integer"
                        },
                        "status": {
                          "$ref": "#/components/schemas/JobStatus"
                        },
                        "attempts": {
                          "type": "integer"
                        },
                        "run_id": {
                          "type": [
                            "string",
                            "null"
                          ]
                        },
                        "attempt": {
                          "type": [
                            "integer",
                            "null"
                          ]
                        },
                        "rc": {
                          "type": [
                            "integer",
                            "null"
                          ]
                        },
                        "reason": {
                          "type": [
                            "string",
                            "null"
                          ]
                        },
                        "started_at": {
                          "type": [
                            "string",
                            "null"
                          ],
                          "format": "date-time"
                        },
                        "finished_at": {
                          "type": [
                            "string",
                            "null"
                          ],
                          "format": "date-time"
                        },
                        "worker_id": {
                          "type": [
                            "string",
                            "null"
                          ],
                          "description": "The worker that ran the shard's current attempt."
                        },
                        "strategy": {
                          "type": [
                            "string",
                            "null"
                          ],
                          "description": "The strategy the plays ran with (mitogen_linear, linear, ...; comma-separated when plays differ)."
                        },
                        "timings": {
                          "type": [
                            "object",
                            "null"
                          ],
                          "description": "Seconds: queued, checkout, inventory, ansible_start, playbook, exit, total.",
                          "additionalProperties": {
                            "type": "number"
                          }
                        }
                      }
                    }
                  },
                  "timings": {
                    "type": "object",
                    "description": "Seconds: split (launch to split), first_shard_start, shards, final (last shard end to final status), total.",
                    "additionalProperties": {
                      "type": "number"
                    }
                  },
                  "hosts": {
                    "type": "object",
                    "properties": {
                      "summarized": {
                        "type": "integer"
                      },
                      "ok": {
                        "type": "integer"
                      },
                      "failed": {
                        "type": "integer"
                      },
                      "unreachable": {
                        "type": "integer"
                      },
                      "changed": {
                        "type": "integer"
                      }
                    }
                  }
                }
              },
              "HostStats": {
                "type": "object",
                "required": [
                  "failed",
                  "id",
                  "run_id",
                  "target",
                  "unreachable"
                ],
                "properties": {
                  "failed": {
                    "type": "integer"
                  },
                  "id": {
                    "type": "integer"
                  },
                  "job_start_time": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "run_id": {
                    "type": "string",
                    "format": "uuid"
                  },
                  "target": {
                    "type": "string"
                  },
                  "unreachable": {
                    "type": "boolean"
                  },
                  "ok": {
                    "type": "integer"
                  },
                  "changed": {
                    "type": "integer"
                  },
                  "skipped": {
                    "type": "integer"
                  },
                  "rescued": {
                    "type": "integer"
                  },
                  "ignored": {
                    "type": "integer"
                  }
                }
              },
              "HostResult": {
                "type": "object",
                "required": [
                  "failures",
                  "stats"
                ],
                "properties": {
                  "failures": {
                    "type": [
                      "array",
                      "null"
                    ],
                    "items": {
                      "type": "object",
                      "required": [
                        "id",
                        "result",
                        "stats_id"
                      ],
                      "properties": {
                        "id": {
                          "type": "integer"
                        },
                        "result": {},
                        "stats_id": {
                          "type": [
                            "integer",
                            "null"
                          ]
                        }
                      }
                    }
                  },
                  "stats": {
                    "oneOf": [
                      {
                        "$ref": "#/components/schemas/HostStats"
                      },
                      {
                        "type": "null"
                      }
                    ]
                  }
                }
              }
            },
            "responses": {
              "BadRequest": {
                "description": "Bad input",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "Unauthorized": {
                "description": "Missing or invalid token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "Forbidden": {
                "description": "Not allowed for this token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "NotFound": {
                "description": "No such record or route",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "MethodNotAllowed": {
                "description": "Method not allowed on this path",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "TooLarge": {
                "description": "Body over max_body_size",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "Conflict": {
                "description": "Conflicts with the current state",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "Unprocessable": {
                "description": "Idempotency-Key reused for another request",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            }
          }
        }
        """##
}
